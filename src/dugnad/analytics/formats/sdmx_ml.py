"""SDMX-ML 2.1 data messages (structure-specific or generic): written with sdmx1, read with a located XML parser."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from lxml import etree

from dugnad.analytics.formats.deferred import DeferredModule
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.sdmx_records import SdmxRecords, table_to_dataset
from dugnad.analytics.formats.source import InputSource

sdmx = DeferredModule("sdmx")
message = DeferredModule("sdmx.message")
m = DeferredModule("sdmx.model.v21")

_MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
_DATA_ROOTS = frozenset({"GenericData", "StructureSpecificData", "GenericTimeSeriesData",
                         "StructureSpecificTimeSeriesData"})
FLAVOURS = {"structure-specific": "StructureSpecificDataSet", "generic": "GenericDataSet"}  #: sdmx1 classes


def _sniff(head: bytes) -> bool:
    """Whether the first bytes look like an SDMX-ML message."""
    return b"<" in head[:200] and b"sdmx.org/resources/sdmxml" in head


register_format("sdmx-ml", label="SDMX-ML 2.1 data message", extensions=("xml", "sdmx"), sniff=_sniff)


@register_writer
class SdmxMlWriter(TableWriter):
    """Writes the tidy table as an SDMX-ML 2.1 data message with the local SDG DSD.

    Option ``flavour``: ``structure-specific`` (default) or ``generic``.
    """

    format_name = "sdmx-ml"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write one flat data set (dimension at observation = AllDimensions) to ``target``."""
        flavour = str(options.get("flavour") or "structure-specific")
        if flavour not in FLAVOURS:
            raise ValueError(f"unknown SDMX-ML flavour {flavour!r} (use {', '.join(FLAVOURS)})")
        dataset, flow = table_to_dataset(table, getattr(m, FLAVOURS[flavour]), target=str(target))
        msg = message.DataMessage(data=[dataset], dataflow=flow, observation_dimension=m.AllDimensions)
        msg.header.id = "DUGNAD"
        root = etree.fromstring(sdmx.to_xml(msg))
        # sdmx1 names the root StructureSpecificData even for generic data sets; SDMX 2.1 wants GenericData.
        root.tag = f"{{{_MES}}}{'GenericData' if flavour == 'generic' else 'StructureSpecificData'}"
        structure = root.find(f"{{{_MES}}}Header/{{{_MES}}}Structure")
        if structure is not None:
            structure.set("dimensionAtObservation", "AllDimensions")
        target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


@register_reader
class SdmxMlReader(TableReader):
    """Reads SDMX-ML 2.1 generic or structure-specific data (flat or in series) into the tidy table.

    REF_AREA → unit, SERIES or INDICATOR → indicator, TIME_PERIOD → period, OBS_VALUE → value,
    OBS_STATUS/CONF_STATUS → status; other dimensions and attributes become lower-case columns.
    No DSD is needed; problems are located by XML line.
    """

    format_name = "sdmx-ml"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table of every data set in the message."""
        data = source.read_bytes()
        if not data.strip():
            raise log.fail("the file is empty")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False,
                                 load_dtd=False)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise log.fail(f"malformed XML: {exc.msg}", row=exc.lineno) from exc
        except ValueError as exc:
            raise log.fail(f"malformed XML: {exc}") from exc
        name = etree.QName(root).localname if isinstance(root.tag, str) else ""
        if name not in _DATA_ROOTS:
            raise log.fail(f"not an SDMX-ML data message (root element {name or '?'!r})", row=root.sourceline,
                           path=f"/{name}")
        records = SdmxRecords(log, location="row")
        datasets = [e for e in root if _local(e) == "DataSet"]
        if not datasets:
            raise log.fail("the message has no DataSet", path=f"/{name}")
        for dataset in datasets:
            _read_dataset(dataset, records)
        table = records.table()
        if table.num_rows == 0 and not log.has_errors:
            log.error("the message has no observations", path=f"/{name}/DataSet")
        return table


def _read_dataset(dataset: etree._Element, records: SdmxRecords) -> None:
    """Feed every observation of one DataSet (flat or grouped in Series) to ``records``."""
    for child in dataset:
        kind = _local(child)
        if kind == "Series":
            series = _generic_series_key(child) if _is_generic(child) else _attributes(child)
            for obs in child:
                if _local(obs) == "Obs":
                    records.add({**series, **_observation(obs)}, obs.sourceline)
        elif kind == "Obs":
            records.add(_observation(child), child.sourceline)


def _observation(obs: etree._Element) -> dict[str, str]:
    """Components of one Obs element (structure-specific attributes or generic child elements)."""
    if not _is_generic(obs):
        return _attributes(obs)
    result: dict[str, str] = {}
    for part in obs:
        kind = _local(part)
        if kind in ("ObsKey", "Attributes"):
            result.update(_values(part))
        elif kind == "ObsDimension":
            result[part.get("id") or "TIME_PERIOD"] = part.get("value", "")
        elif kind == "ObsValue":
            result["OBS_VALUE"] = part.get("value", "")
    return result


def _generic_series_key(series: etree._Element) -> dict[str, str]:
    """SeriesKey and series Attributes values of a generic Series."""
    result: dict[str, str] = {}
    for part in series:
        if _local(part) in ("SeriesKey", "Attributes"):
            result.update(_values(part))
    return result


def _values(element: etree._Element) -> dict[str, str]:
    """``<Value id=… value=…/>`` children as a dictionary."""
    return {v.get("id", ""): v.get("value", "") for v in element if _local(v) == "Value" and v.get("id")}


def _attributes(element: etree._Element) -> dict[str, str]:
    """XML attributes of a structure-specific element (namespaced ones such as xsi:type left out)."""
    return {k: v for k, v in element.attrib.items() if "}" not in k}


def _is_generic(element: etree._Element) -> bool:
    """Whether the element is in the SDMX generic data namespace."""
    return isinstance(element.tag, str) and "/data/generic" in (etree.QName(element).namespace or "")


def _local(element: etree._Element) -> str:
    """Local name of an element ("" for comments and processing instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""
