"""Batches, all or nothing: one bad row and nothing of the batch is saved."""

import pytest

from reconquete.models import RidershipMonth, Subscription
from reconquete.services import ImportRejected, ridership_import
from satisfaction.models import SurveyAnswer, SurveyInvitation
from tests.api.bad_input.common import (
    RIDERSHIP,
    SUBSCRIPTIONS,
    SURVEY_ANSWERS,
    nothing_saved,
    post_json,
    problems,
)
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

RIDERSHIP_ROWS = [
    ({"trips": -1}, "trips", "negative_trips"),
    ({"trips": 10**30}, "trips", "implausible_trips"),  # beyond PostgreSQL's integer
    ({"trips": "beaucoup"}, "trips", "invalid"),
    ({"month": "2026-13"}, "month", "invalid_month"),
    ({"month": "2999-01"}, "month", "future_month"),
    ({"card": "TCL\x00 0042"}, "card", "null_characters_not_allowed"),
    ({"card": "TCL 9999 9999"}, "card", "unknown_card"),
    ({"card": "T" * 41}, "card", "max_length"),
]


@pytest.mark.parametrize(("change", "field", "code"), RIDERSHIP_ROWS)
def test_one_bad_ridership_row_and_nothing_is_saved(partner, card_holder, change, field, code):
    rows = [
        {"card": "TCL 0042 1968", "month": "2026-01", "trips": 38},
        {"card": "TCL 0042 1968", "month": "2026-02", "trips": 41},
        {"card": "TCL 0042 1968", "month": "2026-03", "trips": 40, **change},
    ]

    response = post_json(partner, RIDERSHIP, rows)

    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == "invalid_batch"
    assert problems(response) == {(2, field, code)}
    assert RidershipMonth.objects.count() == 0


def test_a_bad_subscription_row_saves_nothing(partner, card_holder):
    good = {
        "contract": "ABO-2026-0042",
        "card": "TCL 0042 1968",
        "product": "Pass Partout annuel",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "status": "active",
        "sales_channel": "web",
    }
    rows = [good, {**good, "contract": "ABO-2026-0043", "start_date": "2026-02-30"}]

    response = post_json(partner, SUBSCRIPTIONS, rows)

    assert response.status_code == 400, response.content
    assert {(row, field) for row, field, _code in problems(response)} == {(1, "start_date")}
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"score": 10**30}, "score", "out_of_scale"),
        ({"score": -1}, "score", "out_of_scale"),
        ({"service_rating": 10**30}, "service_rating", "out_of_scale"),
        ({"comment": "Très bien\x00"}, "comment", "null_characters_not_allowed"),
        ({"comment": "c" * 2001}, "comment", "max_length"),
        ({"answered_at": "9999-12-31T23:59:59-14:00"}, "answered_at", "overflow"),
        ({"token": "inconnu"}, "token", "unknown_token"),
    ],
)
def test_one_bad_survey_answer_and_nothing_is_saved(partner, invitations, change, field, code):
    answers = [
        {"token": invitations[0], "score": 5, "comment": "Accueil très aimable à Part-Dieu."},
        {"token": invitations[1], "score": 4, **change},
    ]

    response = post_json(partner, SURVEY_ANSWERS, {"answers": answers})

    assert response.status_code == 400, response.content
    assert problems(response) == {(1, field, code)}
    assert SurveyAnswer.objects.count() == 0
    assert not SurveyInvitation.objects.filter(answered_at__isnull=False).exists()


def test_the_ridership_service_refuses_a_count_too_big_for_its_column():
    # the CSV import path has no serializer in front: the service checks it alone
    with pytest.raises(ImportRejected) as refused:
        ridership_import(records=[(1, {"card": "TCL 1", "month": "2026-01", "trips": "9" * 20})])

    assert {(e.field, e.code) for e in refused.value.errors} >= {("trips", "implausible_trips")}


# --- one shape for every bulk endpoint --------------------------------------------------------

ROW = {"card": "TCL 0042 1968", "month": "2026-01", "trips": 38}
ANSWER = {"token": "jeton", "score": 5}
# (endpoint, the list's field, a body that is not a list, an empty one, one too many rows)
BULK = [
    (RIDERSHIP, None, ROW, [], [ROW] * 10_001),
    (SUBSCRIPTIONS, None, {"contract": "ABO-1"}, [], [{"contract": "ABO-1"}] * 10_001),
    (
        SURVEY_ANSWERS,
        "answers",
        {"answers": ANSWER},
        {"answers": []},
        {"answers": [ANSWER] * 1001},
    ),
]


@pytest.mark.parametrize(
    ("url", "field", "not_a_list", "empty", "too_many"),
    BULK,
    ids=["ridership", "subscriptions", "survey-answers"],
)
def test_every_bulk_endpoint_refuses_a_batch_in_the_one_shape(
    partner, url, field, not_a_list, empty, too_many
):
    for body, code in [
        (not_a_list, "not_a_list"),
        (empty, "empty_batch"),
        (too_many, "too_many_rows"),
    ]:
        response = post_json(partner, url, body)

        assert response.status_code == 400, response.content
        error = error_of(response)
        assert (error["code"], error["field"], error["error_count"]) == ("invalid_batch", field, 1)
        assert error["detail"] == "Lot refusé : 1 erreur(s), rien n'a été enregistré."
        assert [(e["row"], e["field"], e["code"]) for e in error["errors"]] == [(None, field, code)]
    assert nothing_saved()


def test_an_envelope_problem_and_a_row_problem_are_listed_together(partner, invitations):
    body = {"answers": [{"token": invitations[0], "score": "cinq"}], "lot": "2026-02"}

    error = error_of(post_json(partner, SURVEY_ANSWERS, body))

    assert (error["code"], error["field"], error["error_count"]) == ("invalid_batch", "answers", 2)
    assert [(e["row"], e["field"], e["code"]) for e in error["errors"]] == [
        (None, "lot", "unknown_field"),
        (0, "score", "invalid"),
    ]


@pytest.mark.parametrize("row", [None, 1, 2.5, "x", True, ["TCL 0042 1968"]])
@pytest.mark.parametrize(
    ("url", "wrap", "good"),
    [
        (RIDERSHIP, lambda rows: rows, ROW),
        (SUBSCRIPTIONS, lambda rows: rows, {"contract": "ABO-1"}),
        (SURVEY_ANSWERS, lambda rows: {"answers": rows}, ANSWER),
    ],
    ids=["ridership", "subscriptions", "survey-answers"],
)
def test_a_row_that_is_not_an_object_is_refused_with_its_index(partner, url, wrap, good, row):
    # once a 500 on the ridership and subscriptions endpoints: alone, or after another row
    for rows, index in [([row], 0), ([good, row], 1)]:
        response = post_json(partner, url, wrap(rows))

        assert response.status_code == 400, response.content
        error = error_of(response)
        assert error["code"] == "invalid_batch"
        # the row itself is at fault, not one of its fields: DRF's "null", or "invalid"
        # (expected an object)
        at_fault = {(e["row"], e["field"], e["code"]) for e in error["errors"]}
        assert at_fault & {(index, None, "null"), (index, None, "invalid")}, at_fault
    assert nothing_saved()
