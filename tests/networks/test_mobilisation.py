"""The county mobilisation funnel: stages, dates, stalled flags, next steps, the CLI and the county review."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from dugnad.actions.models import Action, ActionPartner
from dugnad.cli.main import build_app
from dugnad.networks.models import Invitation, Network, NetworkMember
from dugnad.practices.models import PracticeCase
from dugnad.publications.mobilisation import FUNNEL_COLUMNS, county_funnel, funnel_counts
from dugnad.publications.models import Publication
from dugnad.rounds.models import Round, Submission
from dugnad.rounds.vocab import SubmissionState
from dugnad.targets.models import LocalTarget
from dugnad.targets.services import target_set
from tests.factories import LevelFactory, UnitFactory

TODAY = dt.date(2026, 6, 1)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def funnel_world(world):
    """County 46 with six municipalities, one at each stage, on known dates."""
    u = world.units
    level = LevelFactory(code="municipality")
    u["4645"] = UnitFactory(code="4645", name="Askvoll", level=level, parent=u["46"])
    u["4650"] = UnitFactory(code="4650", name="Gloppen", level=level, parent=u["46"])
    # 4650 Gloppen: nothing at all
    round_ = Round.objects.create(title="Runde 2026", year=2025, deadline=TODAY, scope_unit=u["0"])
    Round.objects.filter(pk=round_.pk).update(created_at=_at(dt.date(2026, 1, 10)))
    # invited (round) for 4645, 4640, 4624, 4602, 4601; 4645 keeps an open draft
    for code in ("4645", "4640", "4624", "4602", "4601"):
        Submission.objects.create(round=round_, unit=u[code])
    network = Network.objects.create(name="Bærekraftsnettverket Vestland", lead_unit=u["46"])
    Network.objects.create(name="Klimanettverket Vestland", lead_unit=u["46"])
    invitation = Invitation.objects.create(network=network, unit=u["4645"])
    Invitation.objects.filter(pk=invitation.pk).update(created_at=_at(dt.date(2026, 1, 5)))
    # in a network: 4640 (recently), 4624, 4602, 4601
    for code, day in (("4640", dt.date(2026, 5, 20)), ("4624", dt.date(2026, 2, 1)), ("4602", dt.date(2026, 2, 1)),
                      ("4601", dt.date(2026, 2, 1))):
        member = NetworkMember.objects.create(network=network, unit=u[code])
        NetworkMember.objects.filter(pk=member.pk).update(joined_on=day)
    # submitted: 4624 (long ago → stalled), 4602, 4601
    for code in ("4624", "4602", "4601"):
        Submission.objects.filter(round=round_, unit=u[code]).update(state=SubmissionState.SUBMITTED,
                                                                       submitted_at=_at(dt.date(2026, 3, 1)))
    # a VLR published for 4602 and 4601; a failed one does not count
    for code in ("4602", "4601"):
        Publication.objects.create(kind="vlr", round=round_, unit=u[code], state="done",
                                   finished_at=_at(dt.date(2026, 4, 15)))
    Publication.objects.create(kind="vlr", round=round_, unit=u["4624"], state="failed",
                               finished_at=_at(dt.date(2026, 4, 15)))
    # partner in a joint action of the network: 4601
    action = Action.objects.create(title="Felles klimaregnskap")
    Action.objects.filter(pk=action.pk).update(created_at=_at(dt.date(2026, 5, 1)))
    network.actions.add(action)
    ActionPartner.objects.create(action=action, unit=u["4601"])
    # an action outside any network does not count
    ActionPartner.objects.create(action=Action.objects.create(title="Eget tiltak"), unit=u["4602"])
    PracticeCase.objects.create(title="Trygg skolevei", summary="…", unit=u["4601"])
    # a target of its own: 4601 (the first version's date counts)
    for value, day in ((2.5, dt.date(2026, 5, 25)), (2.0, dt.date(2026, 5, 30))):
        target = target_set(user=world.users["bergen"], unit=u["4601"], indicator=world.indicators[0], value=value)
        LocalTarget.objects.filter(pk=target.pk).update(created_at=_at(day))
    return world



def test_each_municipality_gets_its_furthest_stage_the_date_and_a_stalled_flag(funnel_world):
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY)}
    got = {code: (e.stage, e.since, e.stalled) for code, e in entries.items()}
    assert got == {
        "4601": ("target_set", dt.date(2026, 5, 25), False),
        "4602": ("vlr_published", dt.date(2026, 4, 15), False),
        "4624": ("submitted", dt.date(2026, 3, 1), True),
        "4640": ("in_network", dt.date(2026, 5, 20), False),
        "4645": ("invited", dt.date(2026, 1, 5), True),
        "4650": ("none", None, True),
    }
    assert entries["4624"].days == 92
    assert entries["4645"].reached == {"invited": dt.date(2026, 1, 5)}
    assert funnel_counts(list(entries.values())) == {"none": 1, "invited": 1, "in_network": 1, "submitted": 1,
                                                     "vlr_published": 1, "action_partner": 0, "target_set": 1}


def test_the_stalled_threshold_is_a_parameter(funnel_world):
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY, stalled_days=200)}
    assert [c for c, e in entries.items() if e.stalled] == ["4650"]
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY, stalled_days=5)}
    assert [c for c, e in entries.items() if e.stalled] == ["4602", "4624", "4640", "4645", "4650"]


def test_stalled_municipalities_get_a_reminder_a_network_and_a_peers_good_practice(funnel_world):
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY)}
    assert entries["4645"].next_steps == [
        "Send en påminnelse: utkastet i «Runde 2026» er ikke levert.",
        "Følg opp invitasjonen til «Bærekraftsnettverket Vestland».",
        "Lær av Bergen: «Trygg skolevei».",
    ]
    assert entries["4624"].next_steps == ["Inviter kommunen til «Klimanettverket Vestland».",
                                          "Lær av Bergen: «Trygg skolevei».",]
    assert entries["4650"].next_steps == ["Inviter kommunen til «Bærekraftsnettverket Vestland».",
                                          "Lær av Bergen: «Trygg skolevei».",]
    assert entries["4601"].next_steps == []


def test_cli_prints_one_csv_row_per_municipality(funnel_world):
    result = CliRunner().invoke(build_app(), ["mobilisation", "--county", "46", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == FUNNEL_COLUMNS
    assert [(r["unit"], r["name"], r["stage"]) for r in rows] == [
        ("4601", "Bergen", "target_set"), ("4602", "Kinn", "vlr_published"), ("4624", "Bjørnafjorden", "submitted"),
        ("4640", "Sogndal", "in_network"), ("4645", "Askvoll", "invited"), ("4650", "Gloppen", "none")]
    assert rows[0]["since"] == "2026-05-25" and rows[5]["since"] == ""
    assert rows[4]["invited_on"] == "2026-01-05" and rows[5]["invited_on"] == ""


def test_cli_refuses_an_unknown_county(funnel_world):
    result = CliRunner().invoke(build_app(), ["mobilisation", "--county", "4601"])
    assert result.exit_code == 1
    assert "--county" in result.stderr


def test_county_review_summarises_the_funnel_and_names_the_stalled(funnel_world):
    from dugnad.publications.builders.county import county_review_build

    round_ = Round.objects.get()
    document = county_review_build(unit=funnel_world.units["46"], round_=round_, lang="nb")
    section = next(s for s in document.sections if s.key == "mobilisation")
    assert section.title == "Mobilisering av kommunene"
    table, paragraph = section.blocks
    assert ["VLR publisert", "1"] in table.rows and ["Ikke startet", "1"] in table.rows
    assert "Står stille (ingen framgang på 60 dager):" in paragraph.text
    assert "Gloppen (ikke startet)" in paragraph.text
    assert "Bjørnafjorden (Levert siden 2026-03-01)" in paragraph.text
    assert "Bergen" not in paragraph.text


def test_county_review_in_nynorsk_has_the_section_translated(funnel_world):
    from dugnad.publications.builders.county import county_review_build

    document = county_review_build(unit=funnel_world.units["46"], round_=Round.objects.get(), lang="nn")
    section = next(s for s in document.sections if s.key == "mobilisation")
    assert section.title == "Mobilisering av kommunane"
    assert "Gloppen (ikkje starta)" in section.blocks[1].text


def test_the_county_coordinator_sees_the_funnel_page_and_a_municipality_does_not(client, funnel_world):
    from tests.factories import PASSWORD

    assert client.login(username="vestland", password=PASSWORD)
    page = client.get("/fylker/46/mobilisering/").content.decode()
    assert "Mobilisering av kommunene" in page and "4650 Gloppen" in page
    assert "Inviter kommunen til «Klimanettverket Vestland»." in page
    assert client.get("/fylker/99/mobilisering/").status_code == 404
    assert client.login(username="kinn", password=PASSWORD)
    assert client.get("/fylker/46/mobilisering/").status_code == 403


def test_the_funnel_page_in_english(client, funnel_world):
    from tests.factories import PASSWORD

    assert client.login(username="vestland", password=PASSWORD)
    client.cookies["django_language"] = "en"
    page = client.get("/fylker/46/mobilisering/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mobilising the municipalities" in page and "Suggested next steps" in page


def test_the_target_set_stage_takes_the_date_of_the_first_target(funnel_world):
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY)}
    assert entries["4601"].reached["action_partner"] == dt.date(2026, 5, 1)
    assert entries["4601"].reached["target_set"] == dt.date(2026, 5, 25)
    assert entries["4601"].next_steps == []


def test_the_funnel_shows_each_pending_invitation_and_the_network_one_click_would_invite_to(funnel_world):
    entries = {e.unit.code: e for e in county_funnel(funnel_world.units["46"], today=TODAY)}
    assert (entries["4645"].invited_on, entries["4645"].invited_to) == (dt.date(2026, 1, 5), "Bærekraftsnettverket Vestland")
    assert entries["4645"].invite_to == "Klimanettverket Vestland"
    assert (entries["4650"].invited_on, entries["4650"].invite_to) == (None, "Bærekraftsnettverket Vestland")


def test_the_county_coordinator_invites_in_one_click_and_the_editors_get_an_e_mail(client, funnel_world, mailoutbox):
    from tests.factories import PASSWORD

    funnel_world.users["sogndal"].email = "post@sogndal.example"
    funnel_world.users["sogndal"].save()
    assert client.login(username="vestland", password=PASSWORD)
    page = client.get("/fylker/46/mobilisering/").content.decode()
    assert "/fylker/46/mobilisering/4640/inviter/" in page
    answer = client.post("/fylker/46/mobilisering/4640/inviter/", follow=True)
    invitation = Invitation.objects.get(unit=funnel_world.units["4640"])
    assert (invitation.network.name, invitation.state, invitation.invited_by.username) == (
        "Klimanettverket Vestland", "pending", "vestland")
    assert [m.to for m in mailoutbox] == [["post@sogndal.example"]]
    assert "Klimanettverket Vestland" in mailoutbox[0].subject
    from django.utils import dateformat

    today = dateformat.format(timezone.localdate(), "j. F Y")  # the page's language: «6. desember 2026»
    assert f"invitert {today} til «Klimanettverket Vestland»" in answer.content.decode()
    # every network of the county is now taken for Sogndal: no button, and a post says why
    assert "/fylker/46/mobilisering/4640/inviter/" not in answer.content.decode()
    again = client.post("/fylker/46/mobilisering/4640/inviter/", follow=True).content.decode()
    assert "Opprett et fylkesnettverk først." in again
    assert Invitation.objects.filter(unit=funnel_world.units["4640"]).count() == 1


@pytest.mark.parametrize("user", ["kinn", "ks", "sogndal"])
def test_others_may_not_invite_from_the_funnel(client, funnel_world, user):
    from tests.factories import PASSWORD

    assert client.login(username=user, password=PASSWORD)
    assert client.post("/fylker/46/mobilisering/4650/inviter/").status_code == 403
    assert not Invitation.objects.filter(unit=funnel_world.units["4650"]).exists()
    if user == "ks":  # the national coordinator sees the funnel but gets no button
        assert "/inviter/" not in client.get("/fylker/46/mobilisering/").content.decode()


def test_an_invitation_needs_a_municipality_of_the_county(client, funnel_world):
    from tests.factories import PASSWORD

    assert client.login(username="vestland", password=PASSWORD)
    page = client.post("/fylker/46/mobilisering/0301/inviter/", follow=True).content.decode()
    assert "Oslo er ikke en kommune i Vestland." in page
    assert client.post("/fylker/46/mobilisering/9999/inviter/").status_code == 404


def test_mitt_arbeid_links_the_county_coordinator_to_the_funnel(client, funnel_world):
    from tests.factories import PASSWORD

    assert client.login(username="vestland", password=PASSWORD)
    assert 'href="/fylker/46/mobilisering/"' in client.get("/mitt-arbeid/").content.decode()
    assert client.login(username="bergen", password=PASSWORD)
    page = client.get("/mitt-arbeid/").content.decode()
    assert "/mobilisering/" not in page and 'href="/enheter/4601/mal-2030/"' in page


def test_the_funnel_and_the_one_click_invitation_in_the_api(client, funnel_world, mailoutbox):
    from tests.factories import PASSWORD

    funnel_world.users["sogndal"].email = "post@sogndal.example"
    funnel_world.users["sogndal"].save()
    assert client.login(username="vestland", password=PASSWORD)
    rows = {r["unit"]: r for r in client.get("/api/networks/mobilisation/46").json()}
    assert rows["4645"]["stage"] == "invited" and rows["4645"]["invited_to"] == "Bærekraftsnettverket Vestland"
    assert rows["4640"]["invite_to"] == "Klimanettverket Vestland" and rows["4601"]["stalled"] is False
    answer = client.post("/api/networks/mobilisation/46/4640/invite")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["network"], answer.json()["emails_sent"]) == ("Klimanettverket Vestland", 1)
    assert [m.to for m in mailoutbox] == [["post@sogndal.example"]]
    again = client.post("/api/networks/mobilisation/46/4640/invite")
    assert again.status_code == 422 and "Opprett et fylkesnettverk først." in again.json()["detail"]
    assert client.post("/api/networks/mobilisation/46/9999/invite").status_code == 404
    assert client.get("/api/networks/mobilisation/99").status_code == 404


@pytest.mark.parametrize(("user", "status"), [("ks", 403), ("kinn", 403), ("sogndal", 403)])
def test_only_the_county_coordinator_invites_through_the_api(client, funnel_world, user, status):
    from tests.factories import PASSWORD

    assert client.login(username=user, password=PASSWORD)
    assert client.post("/api/networks/mobilisation/46/4650/invite").status_code == status
    assert not Invitation.objects.filter(unit=funnel_world.units["4650"]).exists()


def test_a_one_click_invitation_is_audited_with_who_when_and_which_unit(funnel_world, mailoutbox):
    from django.core.exceptions import PermissionDenied

    from dugnad.networks.services import county_invite
    from dugnad.rounds.models import AuditEntry

    county, sogndal = funnel_world.units["46"], funnel_world.units["4640"]
    with pytest.raises(PermissionDenied):
        county_invite(user=funnel_world.users["kinn"], county=county, unit=sogndal)
    assert not AuditEntry.objects.filter(action="county_invite").exists()
    before = timezone.now()
    done = county_invite(user=funnel_world.users["vestland"], county=county, unit=sogndal)
    (entry,) = AuditEntry.objects.filter(action="county_invite")
    assert (entry.user.username, entry.object_type, entry.object_key) == ("vestland", "network",
                                                                          str(done.invitation.network_id))
    assert entry.at >= before
    assert entry.after == {"county": "46", "units": ["4640"], "invitation": done.invitation.pk, "sent": done.sent}
