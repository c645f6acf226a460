"""The goal facts: 17 goals with official colours and names, 169 target codes that sort naturally."""

from __future__ import annotations

from dugnad.catalogue.facts import goal_facts, indicator_sort_key, target_codes, target_sort_key

UN_COLOURS = [
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942", "#FD6925",
    "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D", "#19486A",
]


def test_there_are_17_goals_with_the_official_colours():
    goals = goal_facts()
    assert [g.number for g in goals] == list(range(1, 18))
    assert [g.colour for g in goals] == UN_COLOURS


def test_goal_names_in_three_languages():
    goals = {g.number: g for g in goal_facts()}
    assert goals[1].name_nb == "Utrydde fattigdom"
    assert goals[5].name_nb == "Likestilling mellom kjønnene"
    assert goals[5].name_nn == "Likestilling mellom kjønna"
    assert goals[6].name_nn == "Reint vatn og gode sanitærforhold"
    assert goals[16].name_nb == "Fred, rettferdighet og velfungerende institusjoner"
    assert goals[16].name_nn == "Fred, rettferd og velfungerande institusjonar"
    assert goals[17].name_nn == "Samarbeid for å nå måla"
    assert goals[14].name_en == "Life Below Water"
    assert all(g.name_nb and g.name_nn and g.name_en and g.title_nb and g.title_en for g in goals.values())


def test_there_are_169_distinct_targets():
    codes = target_codes()
    assert len(codes) == 169 == len(set(codes))
    assert codes[:7] == ("1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b")
    assert codes[-1] == "17.19"


def test_target_sort_key_puts_1_10_after_1_9_and_letters_last():
    assert sorted(["1.a", "1.10", "2.1", "1.9", "1.1"], key=target_sort_key) == ["1.1", "1.9", "1.10", "1.a", "2.1"]
    assert sorted(target_codes(), key=target_sort_key) == list(target_codes())


def test_indicator_sort_key_orders_un_codes_naturally():
    assert sorted(["11.1.1", "3.2.1", "3.10.1", "3.a.1"], key=indicator_sort_key) == ["3.2.1", "3.10.1", "3.a.1", "11.1.1"]
