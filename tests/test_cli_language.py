"""The CLI speaks the user's language: bokmål by default, nynorsk with LANG=nn_NO, English with LANG=en_* or LC_ALL;
and its reference (docs/cli.md) carries no raw markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dugnad.cli.language import cli_language
from dugnad.cli.main import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "nb"), ({"LANG": "C.UTF-8"}, "nb"), ({"LANG": "nb_NO.UTF-8"}, "nb"), ({"LANG": "no_NO"}, "nb"),
    ({"LANG": "nn_NO.UTF-8"}, "nn"), ({"LANG": "en_GB.UTF-8"}, "en"), ({"LANG": "en"}, "en"),
    ({"LANG": "nb_NO.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"), ({"LANG": "en_US", "LC_MESSAGES": "nn_NO"}, "nn"),
    ({"LC_ALL": "", "LANG": "nn_NO"}, "nn"),
])
def test_the_language_comes_from_lc_all_then_lc_messages_then_lang(environ, language):
    assert cli_language(environ) == language


def convert_with_a_bad_option(monkeypatch, tmp_path, **environ):
    for name in ("LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    source = tmp_path / "in.csv"
    source.write_text("unit,indicator,period,value\n0,X,2024,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["convert", str(source), "--to", "csv", "--out", str(tmp_path / "out.csv"),
                                      "--read-option", "ingen-likhetstegn"])
    assert result.exit_code == 1
    return " ".join(result.output.split())


def test_bokmal_is_the_default(monkeypatch, tmp_path):
    output = convert_with_a_bad_option(monkeypatch, tmp_path)
    assert "Feil: --read-option må ha formen NØKKEL=VERDI, fikk 'ingen-likhetstegn'" in output


def test_lang_nn_gives_nynorsk(monkeypatch, tmp_path):
    output = convert_with_a_bad_option(monkeypatch, tmp_path, LANG="nn_NO.UTF-8")
    assert "Feil: --read-option må ha forma NØKKEL=VERDI, fekk 'ingen-likhetstegn'" in output


def test_lang_or_lc_all_english_gives_english(monkeypatch, tmp_path):
    expected = "Error: --read-option must have the form KEY=VALUE, got 'ingen-likhetstegn'"
    assert expected in convert_with_a_bad_option(monkeypatch, tmp_path, LANG="en_GB.UTF-8")
    assert expected in convert_with_a_bad_option(monkeypatch, tmp_path, LANG="nb_NO.UTF-8", LC_ALL="en_US.UTF-8")


def test_a_successful_command_reports_in_the_chosen_language(monkeypatch, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("unit,indicator,period,value\n0,X,2024,1\n", encoding="utf-8")
    said = {}
    for lang in ("nb_NO.UTF-8", "nn_NO.UTF-8", "en_US.UTF-8"):
        monkeypatch.setenv("LANG", lang)
        result = CliRunner().invoke(app, ["convert", str(source), "--to", "csv", "--out", str(tmp_path / "out.csv")])
        assert result.exit_code == 0, result.output
        said[lang[:2]] = " ".join(result.output.split())
    assert "Skrev 1 rader" in said["nb"] and "Skreiv 1 rader" in said["nn"] and "Wrote 1 rows" in said["en"]


def test_the_cli_reference_has_no_raw_markup():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert not re.search(r"\[/?(bold|italic|b|i|cyan|green|yellow|red|link|dim)?\]", text)
    assert "Default: `[]`" not in text and "Default: `True`" not in text and "Default: `False`" not in text
    assert "\\b" not in text and "\x08" not in text
    for line in text.splitlines():
        if line.startswith("Example: "):
            assert line.startswith("Example: `"), line
