"""Shared readings of the SDG targets: the state machine, who may propose, comment and agree (and who is refused),
immutable versions, the citation, the CLI list, the open-data API, the web pages and the publication section."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from typer.testing import CliRunner

from dugnad.analytics.report import InputError
from dugnad.cli.main import app
from dugnad.readings.citation import citation, date_text, unit_title
from dugnad.readings.models import Reading, ReadingAgreement, ReadingComment, ReadingVersion
from dugnad.readings.permissions import can_agree_reading, can_comment_reading, can_propose_reading
from dugnad.readings.services import reading_agree, reading_comment, reading_propose, reading_reopen
from dugnad.readings.vocab import ReadingLevel, ReadingState

runner = CliRunner()
TEXT = "I Vestland betyr delmålet renere luft i byene og mindre restavfall."


def _propose(world, unit="46", user="vestland", target="11.6", **kw):
    return reading_propose(user=world.users[user], target=world.targets[target], unit=world.units[unit],
                           text=kw.pop("text", TEXT), **kw)


# --- the state machine -------------------------------------------------------------------------------------------

def test_a_reading_goes_from_proposal_through_discussion_to_agreement_and_is_reopened_by_a_new_version(world):
    v1 = _propose(world, indicators=[world.indicators[2]])
    reading = v1.reading
    assert (reading.state, reading.level, v1.number, v1.language) == ("proposed", "county", 1, "nb")
    assert list(v1.indicators.all()) == [world.indicators[2]]
    v2 = _propose(world, user="vestland-redaktor", text="Ny tekst")
    reading.refresh_from_db()
    assert (v2.number, reading.state, v2.author.username) == (2, "proposed", "vestland-redaktor")

    reading_comment(user=world.users["vestland-leser"], reading=reading, text="Ta med kollektivtrafikken.")
    reading.refresh_from_db()
    assert reading.state == ReadingState.UNDER_DISCUSSION
    assert ReadingComment.objects.get().version == v2

    # agreeing a version the coordinator did not read changes nothing
    with pytest.raises(InputError) as stale:
        reading_agree(user=world.users["vestland"], reading=reading, version_number=1)
    assert stale.value.report.errors[0].column == "version"
    reading.refresh_from_db()
    assert reading.state == ReadingState.UNDER_DISCUSSION and reading.agreed_version is None

    agreement = reading_agree(user=world.users["vestland"], reading=reading, version_number=2)
    reading.refresh_from_db()
    assert (reading.state, reading.agreed_version, agreement.version) == ("agreed", v2, v2)
    with pytest.raises(InputError):  # agreed: no comments until it is reopened
        reading_comment(user=world.users["vestland-leser"], reading=reading, text="For sent?")
    with pytest.raises(InputError):  # already agreed
        reading_agree(user=world.users["vestland"], reading=reading)

    v3 = _propose(world, text="Tredje versjon")
    reading.refresh_from_db()
    assert (v3.number, reading.state, reading.agreed_version) == (3, "proposed", v2)  # v2 stays citable
    with pytest.raises(InputError):  # only an agreed reading can be reopened
        reading_reopen(user=world.users["vestland"], reading=reading)
    reading_agree(user=world.users["vestland"], reading=reading)  # from proposed straight to agreed
    reading_reopen(user=world.users["vestland"], reading=reading)
    reading.refresh_from_db()
    assert (reading.state, reading.agreed_version) == ("proposed", v3)
    assert ReadingAgreement.objects.filter(reading=reading).count() == 2


def test_state_transitions_are_declared_on_the_enum():
    assert ReadingState("proposed").next_states == ("under_discussion", "agreed")
    assert ReadingState("under_discussion").next_states == ("agreed",)
    assert ReadingState("agreed").next_states == ("proposed",)
    assert not ReadingState("agreed").is_open and ReadingState("proposed").is_open


def test_a_version_is_never_changed(world):
    version = _propose(world)
    version.text = "endret i ettertid"
    with pytest.raises(ValueError):
        version.save()
    assert ReadingVersion.objects.get().text == TEXT


def test_bad_input_is_located_and_changes_nothing(world):
    with pytest.raises(InputError) as empty:
        _propose(world, text="   ")
    with pytest.raises(InputError) as language:
        _propose(world, language="de")
    assert empty.value.report.errors[0].column == "text"
    assert language.value.report.errors[0].column == "language"
    assert not Reading.objects.exists() and not ReadingVersion.objects.exists()
    reading = _propose(world).reading
    with pytest.raises(InputError) as comment:
        reading_comment(user=world.users["vestland-leser"], reading=reading, text="")
    assert comment.value.report.errors[0].column == "text"
    reading.refresh_from_db()
    assert reading.state == "proposed" and not ReadingComment.objects.exists()


# --- permissions ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("username", "unit"), [
    ("vestland", "0"),        # a county coordinator does not agree the national reading
    ("bergen", "0"),
    ("ks", "46"),             # KS does not agree a county's reading
    ("vestland-redaktor", "46"),  # a county editor writes but does not agree
    ("vestland", "4601"),     # the county does not agree a municipality's reading
    ("bergen-leser", "4601"),  # a reader does not agree
    ("kinn", "4601"),
    ("nobody", "4601"),
])
def test_agreement_is_refused_to_roles_that_do_not_speak_for_the_level(world, username, unit):
    reading = _propose(world, unit=unit, user="admin").reading
    assert not can_agree_reading(world.users[username], world.units[unit])
    with pytest.raises(PermissionDenied):
        reading_agree(user=world.users[username], reading=reading)
    with pytest.raises(PermissionDenied):
        reading_reopen(user=world.users[username], reading=reading)
    reading.refresh_from_db()
    assert reading.state == "proposed" and not ReadingAgreement.objects.exists()


@pytest.mark.parametrize(("username", "unit"), [("ks", "0"), ("vestland", "46"), ("bergen", "4601"), ("admin", "4601")])
def test_the_role_that_speaks_for_the_level_agrees(world, username, unit):
    reading = _propose(world, unit=unit, user=username).reading
    reading_agree(user=world.users[username], reading=reading)
    reading.refresh_from_db()
    assert reading.state == "agreed"


@pytest.mark.parametrize(("username", "unit"), [
    ("bergen", "0"), ("bergen", "46"), ("vestland", "0"), ("bergen-leser", "4601"), ("vestland-leser", "46"),
    ("kinn", "4601"), ("oslo", "46"), ("nobody", "4601"),
])
def test_proposals_are_refused_outside_the_units_editors(world, username, unit):
    assert not can_propose_reading(world.users[username], world.units[unit])
    with pytest.raises(PermissionDenied):
        _propose(world, unit=unit, user=username)
    assert not Reading.objects.exists()


@pytest.mark.parametrize(("username", "unit", "allowed"), [
    ("bergen-leser", "4601", True), ("vestland-leser", "4601", True), ("ks", "4601", True),
    ("vestland", "4601", True), ("bergen", "46", False), ("kinn", "4601", False), ("oslo", "46", False),
    ("nobody", "0", False), ("bergen", "0", False),
])
def test_comments_come_from_a_role_on_the_unit_or_above_it(world, username, unit, allowed):
    reading = _propose(world, unit=unit, user="admin").reading
    assert can_comment_reading(world.users[username], world.units[unit]) is allowed
    if allowed:
        reading_comment(user=world.users[username], reading=reading, text="Enig.")
    else:
        with pytest.raises(PermissionDenied):
            reading_comment(user=world.users[username], reading=reading, text="Enig.")
        reading.refresh_from_db()
        assert reading.state == "proposed" and not ReadingComment.objects.exists()


# --- citation ------------------------------------------------------------------------------------------------------

def _dated(version, day: dt.date):
    ReadingVersion.objects.filter(pk=version.pk).update(
        created_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12, 0)))
    return ReadingVersion.objects.select_related("reading__target", "reading__unit__level").get(pk=version.pk)


def test_the_citation_names_target_body_version_and_date_in_three_languages(world):
    _propose(world)
    _propose(world)
    v3 = _dated(_propose(world), dt.date(2026, 12, 4))
    assert citation(v3) == "Felles lesning av delmål 11.6, Vestland fylkeskommune, versjon 3, 4. desember 2026"
    assert citation(v3, "nn") == "Felles lesing av delmål 11.6, Vestland fylkeskommune, versjon 3, 4. desember 2026"
    assert citation(v3, "en") == "Shared reading of target 11.6, Vestland County Council, version 3, 4 December 2026"
    assert unit_title(world.units["4601"]) == "Bergen kommune" and unit_title(world.units["0"], "nn") == "Noreg"
    assert unit_title(world.units["03"]) == "Oslo fylke"  # already says what it is
    assert date_text(dt.date(2027, 1, 1), "en") == "1 January 2027"
    assert ReadingLevel.of_unit(world.units["0"]) == ReadingLevel.NATIONAL


# --- CLI, API, web -------------------------------------------------------------------------------------------------

def _three(world):
    national = _propose(world, unit="0", user="ks", text="Nasjonal lesning av 11.6.")
    reading_agree(user=world.users["ks"], reading=national.reading)
    county = _propose(world)
    _propose(world)
    municipal = _propose(world, unit="4601", user="bergen", target="4.2", text="Barnehage i Bergen.")
    return national, county, municipal


def test_the_cli_lists_readings_as_csv_with_filters(world):
    national, county, municipal = _three(world)
    result = runner.invoke(app, ["readings", "list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["id", "target", "unit", "level", "state", "version"]
    assert rows[1:] == [[str(municipal.reading.pk), "4.2", "4601", "municipality", "proposed", "1"],
                        [str(national.reading.pk), "11.6", "0", "national", "agreed", "1"],
                        [str(county.reading.pk), "11.6", "46", "county", "proposed", "2"]]
    only = runner.invoke(app, ["readings", "list", "--target", "11.6", "--unit", "46", "--format", "csv"])
    assert [r[0] for r in csv.reader(io.StringIO(only.stdout))][1:] == [str(county.reading.pk)]
    bad = runner.invoke(app, ["readings", "list", "--unit", "9999"])
    assert bad.exit_code != 0 and "9999" in bad.output
    bad_target = runner.invoke(app, ["readings", "list", "--target", "99.9"])
    assert bad_target.exit_code != 0 and "--target" in bad_target.output


def test_the_open_data_api_lists_only_agreed_readings_anonymously(world, client):
    _national, _county, _municipal = _three(world)
    answer = client.get("/api/v1/readings", {"target": "11.6"})
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(i["unit"], i["level"], i["version"], i["state"]) for i in items] == [("0", "national", 1, "agreed")]
    assert items[0]["citation"].startswith("Felles lesning av delmål 11.6, Norge, versjon 1,")
    assert items[0]["url"].endswith("/delmal/11.6/lesning/0/v1/")
    assert client.get("/api/v1/readings", {"unit": "46"}).json()["items"] == []
    bad = client.get("/api/v1/readings", {"unit": "9999"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["path"] == "query.unit"


def test_the_public_pages_show_agreed_readings_and_hide_proposals(world, client):
    _national, _county, _municipal = _three(world)
    page = client.get("/delmal/11.6/lesning/0/v1/")
    assert page.status_code == 200
    assert "Nasjonal lesning av 11.6." in page.content.decode() and "Felles lesning av delmål 11.6, Norge" in \
        page.content.decode()
    assert client.get("/delmal/11.6/lesning/46/v2/").status_code == 404  # a proposal is not public
    assert client.get("/delmal/11.6/lesning/46/v9/").status_code == 404
    work = client.get("/delmal/11.6/lesning/46/")
    assert work.status_code == 302 and "/logg-inn/" in work["Location"]


def test_the_work_page_takes_comments_and_agreement_through_forms_with_role_checks(world, client):
    county = _propose(world)
    client.force_login(world.users["kinn"])  # a municipality in the county: no role on the county's reading
    assert client.get("/delmal/11.6/lesning/46/").status_code == 403
    assert client.post("/delmal/11.6/lesning/46/kommentar/", {"kommentar-text": "Hei"}).status_code == 403
    client.force_login(world.users["vestland-leser"])
    page = client.get("/delmal/11.6/lesning/46/")
    assert page.status_code == 200 and "Legg til kommentar" in page.content.decode()
    assert "Gjør versjon 1 omforent" not in page.content.decode()
    assert client.post("/delmal/11.6/lesning/46/omforent/", {"enig-version": "1"}).status_code == 403
    assert client.post("/delmal/11.6/lesning/46/", {"ny-text": "x", "ny-language": "nb"}).status_code == 403
    assert client.post("/delmal/11.6/lesning/46/kommentar/", {"kommentar-text": "Bra"}).status_code == 302
    client.force_login(world.users["vestland"])
    assert client.post("/delmal/11.6/lesning/46/omforent/", {"enig-version": "1"}).status_code == 302
    county.reading.refresh_from_db()
    assert county.reading.state == "agreed"


def test_errors_on_the_work_page_are_in_the_users_language(world, client, settings):
    client.force_login(world.users["vestland"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = client.post("/delmal/11.6/lesning/46/", {"ny-text": "", "ny-language": "nb"})
    assert answer.status_code == 400 and "This field is required" in answer.content.decode()
    _propose(world)
    _propose(world)
    stale = client.post("/delmal/11.6/lesning/46/omforent/", {"enig-version": "1"})
    assert stale.status_code == 400
    assert "The reading has changed since you opened it: read version 2 before you agree it." in stale.content.decode()
    assert Reading.objects.get().state == "proposed"


def test_the_target_page_shows_the_national_reading_and_links_the_others(world):
    from dugnad.web.views import portal

    national, county, _municipal = _three(world)
    reading_agree(user=world.users["vestland"], reading=county.reading)
    context = portal._target_readings(type("R", (), {"user": world.users["nobody"]})(), "11.6", "nb")
    assert context["readings"].national.agreed_version == national
    assert [r.unit.code for r in context["readings"].counties] == ["46"]
    assert context["national_citation"].startswith("Felles lesning av delmål 11.6, Norge, versjon 1")


def test_the_publication_section_holds_the_agreed_readings_with_their_citation(world):
    from dugnad.publications.builders.readings import readings_sections
    from dugnad.publications.document import Narrative, Paragraph

    _national, county, _municipal = _three(world)
    assert readings_sections(unit=world.units["46"], lang="nb", include_demo=True) == []  # nothing agreed yet
    reading_agree(user=world.users["vestland"], reading=county.reading)
    [section] = readings_sections(unit=world.units["46"], lang="en", include_demo=True)
    narratives = [b for b in section.blocks if isinstance(b, Narrative)]
    assert [n.text for n in narratives] == [TEXT]
    assert any(isinstance(b, Paragraph) and b.text.startswith("Shared reading of target 11.6, Vestland County Council, "
                                                              "version 2,") for b in section.blocks)


def test_the_workflow_api_writes_through_the_same_role_checks(world, client):
    client.force_login(world.users["vestland-redaktor"])
    made = client.post("/api/readings/11.6/46/versions", {"text": TEXT, "indicator_ids": [world.indicators[2].pk]},
                       content_type="application/json")
    assert made.status_code == 201, made.content
    assert (made.json()["state"], made.json()["versions"][0]["indicators"]) == ("proposed", ["T-C"])
    assert client.post("/api/readings/11.6/46/agree", {"version": 1}, content_type="application/json").status_code == 403
    unknown = client.post("/api/readings/11.6/46/versions", {"text": "x", "indicator_ids": [999999]},
                          content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["path"] == "body.indicator_ids"
    client.force_login(world.users["vestland-leser"])
    commented = client.post("/api/readings/11.6/46/comments", {"text": "Bra."}, content_type="application/json")
    assert commented.status_code == 201 and commented.json()["state"] == "under_discussion"
    client.force_login(world.users["vestland"])
    agreed = client.post("/api/readings/11.6/46/agree", {"version": 1}, content_type="application/json")
    assert agreed.status_code == 200 and agreed.json()["agreed_version"] == 1
    client.force_login(world.users["kinn"])
    assert client.get("/api/readings/11.6/46").status_code == 403
    assert ReadingVersion.objects.count() == 1
