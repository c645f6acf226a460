"""Titles of the 169 SDG targets in nb, nn and en: the shipped file is what the build command makes of its sources."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from dugnad.catalogue.facts import target_codes
from dugnad.catalogue.titles import (
    NORWEGIAN_FILE,
    SHIPPED_FILE,
    TitlesError,
    build_target_titles,
    read_norwegian,
    target_title,
    target_titles,
    titles_json,
)
from dugnad.cli.main import app

pytestmark = pytest.mark.nodb


def english_file(tmp_path, titles: dict[str, str]):
    """An Open SDG-style global_targets.yml (keys ``1-1-title``)."""
    path = tmp_path / "global_targets.yml"
    path.write_text(yaml.safe_dump({f"{c.replace('.', '-')}-title": t for c, t in titles.items()}, allow_unicode=True),
                    encoding="utf-8")
    return path


def shipped_english() -> dict[str, str]:
    return {code: titles["en"] for code, titles in target_titles().items()}


def test_every_target_has_a_title_in_three_languages():
    titles = target_titles()
    assert list(titles) == list(target_codes()) and len(titles) == 169
    assert all(t["nb"] and t["nn"] and t["en"] for t in titles.values())
    assert target_title("3.4", "nn").startswith("Redusere for tidleg død")
    assert target_title("17.19", "en").startswith("By 2030, build on existing initiatives")
    assert target_title("3.4", "se") == target_title("3.4", "nb") and target_title("99.1", "nb") == ""


def test_nynorsk_is_its_own_translation_not_a_copy_of_bokmaal():
    titles = read_norwegian()
    different = [code for code, (nb, nn) in titles.items() if nb != nn]
    assert len(different) > 120


def test_the_shipped_file_is_rebuilt_byte_equal_from_its_sources(tmp_path):
    rebuilt = titles_json(build_target_titles(english_file(tmp_path, shipped_english())))
    assert rebuilt == SHIPPED_FILE.read_text(encoding="utf-8")


def test_a_missing_or_unknown_target_stops_the_build_and_names_the_file(tmp_path):
    english = shipped_english()
    del english["14.c"]
    english["18.1"] = "Not a target"
    path = english_file(tmp_path, english)
    with pytest.raises(TitlesError, match=r"global_targets\.yml: targets missing: \['14\.c'\]; not SDG targets: \['18\.1'\]"):
        build_target_titles(path)


def test_a_bad_norwegian_line_is_located(tmp_path):
    bad = tmp_path / "no.tsv"
    bad.write_text("# comment\n1.1\tUtrydde fattigdom\n", encoding="utf-8")
    with pytest.raises(TitlesError, match=r"no\.tsv:2: expected 'code<TAB>bokmål<TAB>nynorsk'"):
        read_norwegian(bad)


def test_the_command_writes_the_file_and_writes_nothing_on_error(tmp_path):
    out = tmp_path / "titles.json"
    result = CliRunner().invoke(app, ["catalogue", "build-target-titles", str(english_file(tmp_path, shipped_english())),
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == SHIPPED_FILE.read_text(encoding="utf-8")
    english = shipped_english()
    del english["1.1"]
    broken = tmp_path / "broken"
    broken.mkdir()
    result = CliRunner().invoke(app, ["catalogue", "build-target-titles", str(english_file(broken, english)),
                                      "--output", str(broken / "titles.json")])
    assert result.exit_code != 0 and not (broken / "titles.json").exists()
    assert NORWEGIAN_FILE.exists()


def test_every_goal_has_its_text_in_nynorsk():
    from dugnad.catalogue.titles import goal_texts_nn

    texts = goal_texts_nn()
    assert sorted(texts) == list(range(1, 18)) and texts[13].startswith("Handle straks")
