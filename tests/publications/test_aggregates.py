"""The VSR's survey aggregation checked against a hand count."""

from dugnad.publications.aggregates import AnswerRow, aggregate_answers

ROWS = [
    AnswerRow(1, "yes_no", "ja", "46", "small"),
    AnswerRow(1, "yes_no", "nei", "46", "small"),
    AnswerRow(1, "yes_no", True, "03", "city"),
    AnswerRow(1, "yes_no", None, "03", "city"),  # unanswered: not counted
    AnswerRow(2, "scale", 2, "46", "small"),
    AnswerRow(2, "scale", 5, "03", "city"),
    AnswerRow(3, "choice", "A", "46", "small"),
    AnswerRow(3, "choice", "B", "46", "small"),
    AnswerRow(3, "choice", "A", "03", "city"),
]


def test_national_shares_means_and_counts_match_a_hand_count():
    by_question = {a.question: a for a in aggregate_answers(ROWS)}
    assert by_question[1].answered == 3 and by_question[1].yes_share == 2 / 3
    assert by_question[2].mean == 3.5
    assert by_question[3].counts == (("A", 2), ("B", 1))


def test_by_county_and_by_size_band():
    county = {(a.question, a.group): a for a in aggregate_answers(ROWS, by="county")}
    assert county[1, "46"].yes_share == 0.5 and county[1, "03"].yes_share == 1.0 and county[1, "03"].answered == 1
    band = {(a.question, a.group): a for a in aggregate_answers(ROWS, by="band")}
    assert band[2, "small"].mean == 2 and band[3, "city"].counts == (("A", 1),)
