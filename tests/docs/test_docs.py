"""The docs are tested: settings, CLI commands and roles must be documented."""

from __future__ import annotations

from pathlib import Path

from dugnad.accounts.vocab import Role
from dugnad.cli.reference import reference
from dugnad.env import SETTINGS

DOCS = Path(__file__).resolve().parents[2] / "docs"
README = DOCS.parent / "README.md"


def test_every_environment_setting_is_documented():
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in text]
    assert missing == []


def test_cli_reference_is_up_to_date():
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == reference(), "run `make docs`"


def test_every_cli_command_has_help_text():
    sections = reference().split("\n## ")[1:]
    without_help = [s.splitlines()[0] for s in sections if not s.splitlines()[2].strip()]
    assert without_help == []


def test_every_role_is_documented():
    text = (DOCS / "roles.md").read_text(encoding="utf-8")
    assert [r.value for r in Role if f"`{r.value}`" not in text] == []


def test_readme_starts_with_the_two_commands():
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[1] == "```sh"
    assert lines[2].startswith("make demo")
    assert lines[3].startswith("make test")


def test_every_link_to_docs_in_the_readme_exists():
    import re

    links = re.findall(r"\]\((docs/[^)#]+)\)", README.read_text(encoding="utf-8"))
    assert links, "the README links to its docs"
    assert [link for link in links if not (README.parent / link).exists()] == []


def test_every_path_named_in_the_architecture_page_exists():
    import re

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    paths = {p for p in re.findall(r"`([\w./]+/[\w./]*)`", text) if "<" not in p and not p.startswith("/")}
    assert len(paths) > 20, "the page names the places it describes"
    roots = (README.parent, README.parent / "src" / "dugnad")
    assert sorted(p for p in paths if not any((root / p).exists() for root in roots)) == []
