"""The PDF's tables: fixed column widths worked out before typst (``renderers.columns``), long tables over pages."""

from __future__ import annotations

from dugnad.publications.document import Document, Section, Table
from dugnad.publications.renderers import render
from dugnad.publications.renderers.columns import INSET, LINE, column_widths, text_width
from tests.publications.conftest import pdf_text


def test_a_narrow_table_keeps_each_column_as_wide_as_its_widest_cell():
    header, rows = ["Kommune", "Kode"], [["Bergen", "4601"], ["Kvitsøy", "1144"], ["Os", "3430"]]
    widths = column_widths(header, rows)
    assert sum(widths) < LINE / 2  # like auto columns: not stretched to the line
    assert widths[0] >= text_width("Kommune", 10, bold=True) + 2 * INSET
    assert widths[0] >= text_width("Kvitsøy", 8) + 2 * INSET
    assert widths[1] >= text_width("4601", 8) + 2 * INSET


def test_a_wide_table_fits_the_line_narrow_columns_keep_their_width_and_no_word_is_cut():
    long = "Andel av befolkningen med trygg tilgang til rekreasjonsareal " * 3
    header, rows = ["Kode", "Indikator", "Periode"], [["D11.3", long, "2021"], ["D11.5", "Kort", "2022"]]
    widths = column_widths(header, rows, refs=["R1", "R212"])
    assert len(widths) == 4  # the reference marks' column at the end
    assert abs(sum(widths) - LINE) < 1
    natural = max(text_width("Kode", 10, bold=True), text_width("D11.5", 8)) + 2 * INSET
    assert widths[0] == round(natural, 1)  # within its fair share: unchanged
    assert widths[1] >= text_width("rekreasjonsareal", 8) + 2 * INSET
    assert widths[3] >= text_width("[R212]", 8 * 0.6) + 2 * INSET


def test_a_long_table_runs_over_pages_with_every_row_readable(tmp_path):
    rows = [[f"K{i:03d}", f"Verdi {i}"] for i in range(150)]
    table = Table(caption="Alle verdiene", header=["Kode", "Verdi"], rows=rows, refs=[f"R{i}" for i in range(150)])
    document = Document(kind="vlr", lang="nb", title="Test", subtitle="", is_demo=False, demo_label="", generated="",
                        sections=[Section(key="annex", title="Vedlegg", blocks=[table])])
    pages = pdf_text(render(document, "pdf").content, tmp_path)
    first = next(i for i, page in enumerate(pages) if "K000" in page)
    last = next(i for i, page in enumerate(pages) if "K149" in page)
    assert last > first  # the table breaks onto the next pages instead of overflowing the first
    text = " ".join(pages)
    assert all(f"K{i:03d}" in text and f"Verdi {i} " in text + " " for i in range(150))
