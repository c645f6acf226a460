"""One atomic write for every layer: whole or nothing, one file mode, the SHA-256 of what was written."""

from __future__ import annotations

import hashlib
import stat

import pytest

from dugnad.common.files import atomic_directory, atomic_files, file_sha256, write_atomic
from dugnad.common.labels import DEMO_LABEL_EN, DEMO_LABEL_NB, demo_label


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_atomic_returns_the_checksum_and_sets_one_mode(tmp_path):
    target = tmp_path / "sub" / "report.html"
    checksum = write_atomic(target, "<p>Bærekraft</p>")
    assert target.read_text(encoding="utf-8") == "<p>Bærekraft</p>"
    assert checksum == hashlib.sha256("<p>Bærekraft</p>".encode()).hexdigest() == file_sha256(target)
    assert _mode(target) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_failed_write_keeps_the_old_files_and_leaves_no_temporary_file(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("old a")
    with pytest.raises(RuntimeError), atomic_files(first, second) as (temp_a, temp_b):
        temp_a.write_text("new a")
        temp_b.write_text("new b")
        raise RuntimeError("disk full")
    assert first.read_text() == "old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


def test_atomic_directory_swaps_the_whole_directory(tmp_path):
    target = tmp_path / "result"
    target.mkdir()
    (target / "stale.csv").write_text("x")
    with atomic_directory(target) as temp:
        (temp / "index.csv").write_text("unit,score\n")
    assert sorted(p.name for p in target.iterdir()) == ["index.csv"]
    assert _mode(target) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result"]
    with pytest.raises(ValueError), atomic_directory(target) as temp:
        (temp / "half.csv").write_text("")
        raise ValueError("stop")
    assert sorted(p.name for p in target.iterdir()) == ["index.csv"]


def test_the_demo_label_has_a_bokmal_a_nynorsk_and_an_english_form():
    assert demo_label("nb") == demo_label("no") == DEMO_LABEL_NB == "Demodata – ikke ekte tall"
    assert demo_label("nn") == "Demodata – ikkje ekte tal"
    assert demo_label("en") == DEMO_LABEL_EN == "Demo data – not real figures"
