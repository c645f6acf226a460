"""``dugnad actions list``: every action of a unit with its role, as CSV."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from dugnad.actions.services import PartnerSpec, action_create
from dugnad.actions.vocab import PartnerRole
from dugnad.cli.main import app

runner = CliRunner()


def test_actions_list_shows_every_action_of_the_unit_with_its_role(world):
    action_create(user=world.users["bergen"], title="Bergens eget tiltak", lead_unit=world.units["4601"])
    action_create(user=world.users["vestland"], title="Felles tiltak", lead_unit=world.units["46"],
                  partners=[PartnerSpec(unit=world.units["4601"]), PartnerSpec(unit=world.units["4602"])])
    action_create(user=world.users["ks"], title="Nasjonalt fond", lead_unit=world.units["0"],
                  partners=[PartnerSpec(unit=world.units["4601"], role=PartnerRole.FUNDER)])
    action_create(user=world.users["oslo"], title="Oslos tiltak", lead_unit=world.units["0301"])
    result = runner.invoke(app, ["actions", "list", "--unit", "4601", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert sorted((r["title"], r["role"]) for r in rows) == [
        ("Bergens eget tiltak", "lead"), ("Felles tiltak", "partner"), ("Nasjonalt fond", "funder")]
    felles = next(r for r in rows if r["title"] == "Felles tiltak")
    assert felles["lead"] == "Vestland" and "4602 Kinn (partner)" in felles["partners"]


def test_actions_list_names_an_unknown_unit(world):
    result = runner.invoke(app, ["actions", "list", "--unit", "9999", "--format", "csv"])
    assert result.exit_code == 1
    assert "9999" in result.output
