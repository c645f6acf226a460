"""A minimal XLSX package (Office Open XML SpreadsheetML) written row by row, without openpyxl.

openpyxl builds a cell object per value even in write-only mode; for the portal's downloads (a workbook per page,
tens of thousands of cells each, thousands of pages in a static site build) that was most of the build's time.
This writer streams each row as XML into the ZIP: strings as inline strings, numbers as numbers, booleans as
booleans, ``None`` and ``""`` (and NaN or infinity, which XLSX cannot hold) as no cell. The bytes are deterministic (fixed
ZIP timestamps, no creation date), so an unchanged table gives an unchanged file. Excel, LibreOffice and openpyxl
read it (``tests/analytics/formats/test_xlsx.py`` compares it cell by cell with openpyxl's own writer).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

#: Characters XML 1.0 does not allow (openpyxl refuses them too); they are dropped from text cells.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STAMP = (1980, 1, 1, 0, 0, 0)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<styleSheet {_NS}>"
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``25`` → ``Z``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str, known: dict[str, str]) -> str:
    """A text cell's ``<is>`` element (remembered: names, sources and licences repeat on every row)."""
    found = known.get(value)
    if found is None:
        text = _ILLEGAL.sub("", value)
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        found = known[value] = f"<is><t{space}>{escape(text)}</t></is>"
    return found


def _cell(ref: str, value: object, known: dict[str, str]) -> str:
    if value is None or value == "":  # as openpyxl: an empty text is no cell
        return ""
    kind = type(value)
    if kind is str:
        return f'<c r="{ref}" t="inlineStr">{_text(value, known)}</c>'  # type: ignore[arg-type]
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'  # type: ignore[call-overload]
    if kind is float:
        if not math.isfinite(value):  # type: ignore[arg-type]
            return ""
        if value.is_integer() and abs(value) < 2**53:  # type: ignore[union-attr]
            value = int(value)  # type: ignore[call-overload]  # as openpyxl writes it: 245284, not 245284.0
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>'
    if kind is int:
        return f'<c r="{ref}" t="n"><v>{value!r}</v></c>'
    if isinstance(value, bool | int | float):  # subclasses (an IntEnum, a numpy float): as the plain type
        return _cell(ref, bool(value) if isinstance(value, bool) else int(value) if isinstance(value, int)
                     else float(value), known)  # type: ignore[arg-type]
    return f'<c r="{ref}" t="inlineStr">{_text(str(value), known)}</c>'


def _sheet_rows(rows: Iterable[Sequence[object]]) -> Iterable[str]:
    letters: list[str] = []
    known: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        while len(letters) < len(row):
            letters.append(column_letter(len(letters)))
        cells = "".join([_cell(f"{letter}{number}", value, known) for letter, value in zip(letters, row, strict=False)])
        yield f'<row r="{number}">{cells}</row>'


def write_workbook(target: Path, sheets: Sequence[tuple[str, Iterable[Sequence[object]]]], *, level: int = 6) -> None:
    """Write the sheets (name, rows) as an XLSX workbook to ``target``; rows are written as they come."""
    names = [name[:31] for name, _rows in sheets]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as package:

        def part(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, text.encode("utf-8"), compresslevel=level)

        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                            for i in range(1, len(names) + 1))
        part("[Content_Types].xml", _CONTENT_TYPES.format(sheets=overrides))
        part("_rels/.rels", _ROOT_RELS)
        part("xl/workbook.xml",
             '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<workbook {_NS} xmlns:r="{_REL}"><sheets>'
             + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                       for i, name in enumerate(names, start=1))
             + "</sheets></workbook>")
        part("xl/_rels/workbook.xml.rels",
             '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(names) + 1))
             + f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
        part("xl/styles.xml", _STYLES)
        for i, (_name, rows) in enumerate(sheets, start=1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            with package.open(info, "w") as stream:
                buffer = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}><sheetData>']
                size = 0
                for row in _sheet_rows(rows):
                    buffer.append(row)
                    size += len(row)
                    if size > 1 << 20:
                        stream.write("".join(buffer).encode("utf-8"))
                        buffer, size = [], 0
                buffer.append("</sheetData></worksheet>")
                stream.write("".join(buffer).encode("utf-8"))
