"""A batch of VLRs (``dugnad publish vlr --all``): what the documents share is read once, and each document is the
same as when it is built alone; PDFs set one after another by the same typst compiler keep their own content."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dugnad.actions.services import PartnerSpec, action_create
from dugnad.publications.batch import VlrBatch
from dugnad.publications.builders.facts import unit_facts
from dugnad.publications.builders.vlr import vlr_build
from dugnad.publications.renderers import render
from tests.publications.conftest import pdf_text

MUNICIPALITIES = ("4601", "4602", "0301")


def _joint_action(published):
    """An action of Vestland with Bergen and Kinn as partners from 2023 (T-A), so the VLRs have an effects section."""
    w = published.world
    return action_create(user=w.users["vestland"], title="Felles løft", lead_unit=w.units["46"],
                         start=dt.date(2023, 1, 1), indicators=[(w.indicators[0], "up")],
                         partners=[PartnerSpec(unit=w.units["4601"]), PartnerSpec(unit=w.units["4602"])])


def test_a_vlr_built_in_a_batch_is_the_vlr_built_alone(published):
    _joint_action(published)
    alone = {code: vlr_build(unit=published.world.units[code], round_=published.round, lang="nb").as_dict()
             for code in MUNICIPALITIES}
    assert any(s["key"] == "effects" for s in alone["4601"]["sections"])  # the shared action follow-up is in it
    batch = VlrBatch(published.round)
    for code in (*MUNICIPALITIES, "4601"):  # Bergen again after the others: nothing of theirs stays behind
        assert vlr_build(unit=published.world.units[code], round_=published.round, lang="nb",
                         batch=batch).as_dict() == alone[code], code
    nn = vlr_build(unit=published.world.units["4602"], round_=published.round, lang="nn", batch=batch)
    assert nn.as_dict() == vlr_build(unit=published.world.units["4602"], round_=published.round, lang="nn").as_dict()


def test_a_batch_reads_what_the_documents_share_once(published):
    batch = VlrBatch(published.round)
    vlr_build(unit=published.world.units["4601"], round_=published.round, lang="nb", batch=batch)
    with CaptureQueriesContext(connection) as alone:
        vlr_build(unit=published.world.units["4602"], round_=published.round, lang="nb")
    with CaptureQueriesContext(connection) as batched:
        vlr_build(unit=published.world.units["4602"], round_=published.round, lang="nb", batch=batch)
    assert len(batched) < len(alone)
    shared = ("scores_indicatorscore", "scores_goalscore", "scores_scorerun", "catalogue_indicatorspec")
    assert not [q["sql"] for q in batched if any(t in q["sql"] for t in shared)]


def test_a_batch_belongs_to_its_round(published):
    other_round = SimpleNamespace(pk=published.round.pk + 1)
    with pytest.raises(ValueError, match="round"):
        unit_facts(published.world.units["4601"], other_round, batch=VlrBatch(published.round))


def test_pdfs_set_one_after_another_keep_their_own_figures(published, tmp_path):
    bergen, kinn = (vlr_build(unit=published.world.units[c], round_=published.round, lang="nb") for c in ("4601", "4602"))
    first = " ".join(pdf_text(render(bergen, "pdf").content, tmp_path))
    between = " ".join(pdf_text(render(kinn, "pdf").content, tmp_path))
    again = " ".join(pdf_text(render(bergen, "pdf").content, tmp_path))
    assert again == first  # the same compiler and work folder set Kinn's PDF in between
    assert "Lokal bærekraftsrapport 2025: Kinn" in between and "Lokal bærekraftsrapport 2025: Bergen" in first
    assert "Lokal bærekraftsrapport 2025: Kinn" not in again
