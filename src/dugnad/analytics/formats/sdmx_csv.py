"""SDMX-CSV (1.0 and 2.0 layouts): written with sdmx1, read row by row with located problems."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa

from dugnad.analytics.formats.deferred import DeferredModule
from dugnad.analytics.formats.problems import ProblemLog
from dugnad.analytics.formats.registry import TableReader, TableWriter, register_format, register_reader, register_writer
from dugnad.analytics.formats.sdmx_records import SdmxRecords, table_to_dataset
from dugnad.analytics.formats.source import InputSource
from dugnad.analytics.formats.tidy_csv import decode_text, detect_delimiter

pd = DeferredModule("pandas")
sdmx = DeferredModule("sdmx")
m = DeferredModule("sdmx.model.v21")

#: Leading SDMX-CSV columns that identify the structure and action, not observations.
_STRUCTURE_COLUMNS = frozenset({"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION"})


def _sniff(head: bytes) -> bool:
    """Whether the first line is an SDMX-CSV header (DATAFLOW or STRUCTURE first, OBS_VALUE present)."""
    line = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    return line.startswith((b"DATAFLOW", b"STRUCTURE")) and b"OBS_VALUE" in line


register_format("sdmx-csv", label="SDMX-CSV", extensions=("csv",), sniff=_sniff)


@register_writer
class SdmxCsvWriter(TableWriter):
    """Writes the tidy table as SDMX-CSV 2.0 (``STRUCTURE,STRUCTURE_ID,ACTION,…``) with the local SDG DSD."""

    format_name = "sdmx-csv"

    def write(self, table: pa.Table, target: Path, **options: object) -> None:
        """Write one row per observation with OBS_STATUS/CONF_STATUS/UNIT_MEASURE attributes."""
        dataset, _ = table_to_dataset(table, m.DataSet, target=str(target))
        frame = sdmx.to_csv(dataset, rtype=pd.DataFrame, attributes="o")
        frame.to_csv(target, index=False, lineterminator="\n", na_rep="")


@register_reader
class SdmxCsvReader(TableReader):
    """Reads SDMX-CSV 1.0/2.0: identification columns skipped, ``ID: Name`` headers accepted, rows located."""

    format_name = "sdmx-csv"

    def read(self, source: InputSource, log: ProblemLog, **options: object) -> pa.Table:
        """The tidy table; REF_AREA/SERIES/TIME_PERIOD/OBS_VALUE/OBS_STATUS mapped as in SDMX-ML."""
        text = decode_text(source.read_bytes(), log)
        if not text.strip():
            raise log.fail("the file is empty")
        if "\x00" in text:
            raise log.fail("the file contains NUL bytes; it is not a text CSV file")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=False)
        records = SdmxRecords(log, location="row")
        header: list[str] | None = None
        line_before = 0
        try:
            for cells in reader:
                row = line_before + 1
                line_before = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                if header is None:
                    header = [c.split(":", 1)[0].strip().lstrip("\ufeff") for c in cells]
                    if "OBS_VALUE" not in header:
                        raise log.fail("not SDMX-CSV: the header has no OBS_VALUE column", row=row)
                    if len(set(header)) != len(header):
                        raise log.fail("a column appears twice in the header", row=row)
                    continue
                if len(cells) != len(header):
                    log.error(f"row has {len(cells)} cells but the header has {len(header)}", row=row)
                    continue
                fields = dict(zip(header, cells, strict=True))
                if fields.get("ACTION", "I").strip().upper() == "D":
                    log.warning("row marked ACTION=D (delete) skipped", row=row)
                    continue
                records.add({k: v.strip() for k, v in fields.items() if k not in _STRUCTURE_COLUMNS}, row)
        except csv.Error as exc:
            raise log.fail(f"malformed CSV: {exc}", row=reader.line_num) from exc
        table = records.table()
        if table.num_rows == 0 and not log.has_errors:
            log.error("the file has no observations", row=1)
        return table
