"""`dugnad publish`: files written for a unit, located errors and nothing written on bad input."""

from __future__ import annotations

from typer.testing import CliRunner

from dugnad.cli.main import app

runner = CliRunner()


def test_publish_vlr_writes_an_html_file(published, tmp_path):
    out = tmp_path / "bergen.html"
    result = runner.invoke(app, ["publish", "vlr", "--unit", "4601", "--round", str(published.round.pk), "--lang", "nn",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "Lokal berekraftsrapport 2025: Bergen" in out.read_text(encoding="utf-8")


def test_publish_vsr_writes_a_pdf(published, tmp_path):
    out = tmp_path / "vsr.pdf"
    result = runner.invoke(app, ["publish", "vsr", "--round", str(published.round.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


def test_bad_input_names_the_option_and_writes_nothing(published, tmp_path):
    out = tmp_path / "x.pdf"
    cases = [
        (["publish", "vlr", "--unit", "9999", "--round", str(published.round.pk), "--out", str(out)], "--unit 9999"),
        (["publish", "vlr", "--unit", "4601", "--round", "999999", "--out", str(out)], "--round 999999"),
        (["publish", "vlr", "--unit", "4601", "--round", str(published.round.pk), "--lang", "de", "--out", str(out)],
         "--lang"),
        (["publish", "vlr", "--unit", "4601", "--round", str(published.round.pk), "--out", str(tmp_path / "x.docx")],
         "--out"),
    ]
    for args, expected in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and expected in result.output, result.output
    assert list(tmp_path.iterdir()) == []
