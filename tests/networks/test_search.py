"""Norwegian search in the good-practice library: labelled queries find their cases in the top 3 (SQLite and PostgreSQL)."""

from __future__ import annotations

from django.db import connection

from dugnad.practices.selectors import practices_search
from dugnad.practices.services import case_delete
from dugnad.practices.stemming import stems

#: Query → keys of cases that must all be among the first three results.
LABELLED = [
    ("barnehager", {"barnehage-uteliv", "gratis-kjernetid"}),
    ("barnehagen", {"barnehage-uteliv", "gratis-kjernetid"}),
    ("sykkelvei", {"sykkelby"}),
    ("trygge skoleveier", {"skolevei"}),
    ("matavfall", {"matsvinn", "kildesortering"}),
    ("lekkasjer i vannledningene", {"vanntap"}),
    ("unge utenfor skole og arbeid", {"ungdomslos"}),
    ("klimabudsjettet", {"klimabudsjett"}),
    ("elbil og ladepunkt", {"ladepunkter"}),
    ("overvann og flom", {"klimatilpasning"}),
    ("svevestøv", {"svevestov"}),
    ("sykefraværet", {"sykefravaer"}),
    ("heltidsstillinger", {"heltid"}),
    ("bredbånd i distriktene", {"bredband"}),
    ("eldre som bor hjemme", {"eldre-hjemme"}),
    ("solcellepaneler", {"solceller"}),
    ("innvandrere i jobb", {"innvandrere-jobb"}),
    ("psykisk helse blant ungdom", {"psykisk-helse-unge"}),
]


def test_every_labelled_norwegian_query_finds_its_cases_in_the_top_three(library):
    misses = []
    for query, expected in LABELLED:
        top3 = [hit.case.pk for hit in practices_search(query).hits[:3]]
        if not {library[key] for key in expected} <= set(top3):
            misses.append((query, sorted(expected), top3))
    assert misses == [], f"{connection.vendor}: {misses}"


def test_the_stemmer_folds_plural_and_definite_forms():
    assert stems("barnehager barnehagen barnehage") == ["barnehag"] * 3
    assert stems("og i på for") == []


def test_results_are_ranked_best_first_with_positions(library):
    result = practices_search("klima")
    assert result.total >= 5
    assert [h.rank for h in result.hits] == list(range(1, len(result.hits) + 1))
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_facets_count_goal_county_and_size_and_filters_narrow_the_hits(library):
    result = practices_search("barnehage")
    assert {code: n for code, _label, n in result.facets["goal"]}["4"] == 2
    counties = {code for code, _name, _n in result.facets["county"]}
    assert {"46", "03"} <= counties
    only_vestland = practices_search("barnehage", county="46")
    assert [h.case.pk for h in only_vestland.hits] == [library["barnehage-uteliv"]]
    assert practices_search("barnehage", goal=10).total == 1
    sizes = {code: n for code, _label, n in result.facets["size"]}
    assert sum(sizes.values()) == 2
    assert practices_search("barnehage", size="city").total == sizes.get("city", 0)


def test_a_query_of_stop_words_or_nothing_finds_nothing(library):
    assert practices_search("og i på").hits == []
    assert practices_search("   ").hits == []
    assert practices_search('"*:() | & !').hits == []
    practices_search('"; DELETE FROM networks_practicecase; --')
    assert practices_search("barnehager").total == 2


def test_a_deleted_case_is_no_longer_found(library, world):
    case_id = library["svevestov"]
    from dugnad.practices.models import PracticeCase

    case_delete(user=world.users["admin"], case=PracticeCase.objects.get(pk=case_id))
    assert case_id not in {h.case.pk for h in practices_search("svevestøv").hits}
