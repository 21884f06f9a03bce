"""Bad input on the partner API: every mistake is a 4xx in the one error shape naming the
field, never a 500, and nothing is saved — not even part of a batch."""

import datetime
import json
import secrets

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reconquete.api.views import RidershipBulkView, SubscriptionBulkView
from reconquete.models import RidershipMonth, Subscription
from reconquete.services import ImportRejected, ridership_import
from relation_client.api.models import IdempotencyRecord
from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Reason, Touchpoint
from satisfaction.api.views import SurveyAnswerBatchView
from satisfaction.common import token_hash
from satisfaction.models import Survey, SurveyAnswer, SurveyInvitation
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

CUSTOMERS = reverse("api:customer-list")
TOUCHPOINTS = reverse("api:touchpoint-log")
RIDERSHIP = reverse("reconquete_api:ridership-bulk")
SUBSCRIPTIONS = reverse("reconquete_api:subscriptions-bulk")
SURVEY_ANSWERS = reverse("satisfaction_api:survey-answers")
ALL_SCOPES = (
    "customers:read",
    "customers:write",
    "touchpoints:write",
    "requests:read",
    "ridership:write",
    "surveys:write",
)
HELENE = {"first_name": "Hélène", "last_name": "Dupont-Lefèvre"}


@pytest.fixture
def partner(make_token):
    """A partner application holding every scope."""
    return make_token(*ALL_SCOPES)[2]


@pytest.fixture
def card_holder(make_customer):
    return make_customer("Zoé", "Besançon", cards=["TCL 0042 1968"])


@pytest.fixture
def invitations(card_holder, social_desk):
    """Two survey links sent to Zoé after two phone calls: their raw tokens."""
    tokens = []
    for hours in (1, 2):
        touchpoint = Touchpoint.objects.create(
            customer=card_holder,
            channel="phone",
            reason=Reason.objects.get(code="information"),
            summary="Question sur les horaires du tram T1",
            agent=social_desk,
            agency_id=social_desk.agency_id,
            occurred_at=timezone.now() - datetime.timedelta(hours=hours),
        )
        token = secrets.token_urlsafe(24)
        SurveyInvitation.objects.create(
            survey=Survey.objects.get(kind="csat"),
            touchpoint=touchpoint,
            customer=card_holder,
            agent=social_desk,
            agency_id=social_desk.agency_id,
            channel="phone",
            occurred_at=touchpoint.occurred_at,
            token_hash=token_hash(token),
            sent_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
        tokens.append(token)
    return tokens


def post_json(client, url, data, **extra):
    raw = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(url, data=raw, content_type="application/json", **extra)


def problems(response) -> set[tuple]:
    """(field, code) of every problem of a 400, whatever endpoint answered it."""
    body = error_of(response)
    items = body.get("errors") or [body]
    return {(item.get("row"), item["field"], item["code"]) for item in items}


def nothing_saved() -> bool:
    """No trace of any of the writes these tests attempt."""
    return not (
        Customer.objects.filter(first_name="Hélène").exists()
        or Touchpoint.objects.filter(summary__contains="Écharpe").exists()
        or RidershipMonth.objects.exists()
        or Subscription.objects.exists()
        or SurveyAnswer.objects.exists()
    )


# --- size -----------------------------------------------------------------------------------


def test_a_body_above_the_limit_is_a_413_and_nothing_is_saved(partner):
    needs = "Préfère être rappelée après 18 h. " * 90_000  # ~3 MB
    body = json.dumps({**HELENE, "needs": needs})
    assert len(body.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_json(partner, CUSTOMERS, body, HTTP_IDEMPOTENCY_KEY="trop-gros-1")

    assert response.status_code == 413
    error = error_of(response)
    assert (error["code"], error["field"]) == ("payload_too_large", None)
    assert error["detail"] == (
        "Le corps de la requête dépasse la limite de 2,5 Mo : rien n'a été enregistré."
    )
    assert Customer.objects.count() == 0
    # refused before the idempotency layer read it: a retry is not answered from a record
    assert not IdempotencyRecord.objects.exists()


def test_a_patch_above_the_limit_changes_nothing(partner, make_customer):
    helene = make_customer()
    body = json.dumps({"needs": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = partner.patch(
        reverse("api:customer-detail", args=[helene.pk]), body, content_type="application/json"
    )

    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"
    helene.refresh_from_db()
    assert helene.needs == ""


def test_a_bulk_import_takes_more_than_the_default_limit(partner, invitations):
    # two answers padded with 3 MB of whitespace: valid JSON above the default limit
    answers = {"answers": [{"token": token, "score": 5} for token in invitations]}
    body = json.dumps(answers, indent=2).replace("\n", "\n" + " " * 1_000_000, 3)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_json(partner, SURVEY_ANSWERS, body, HTTP_IDEMPOTENCY_KEY="enquete-2026-02")

    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 2
    assert SurveyAnswer.objects.count() == 2
    # and the idempotency layer read the same body: a retry is a replay
    again = post_json(partner, SURVEY_ANSWERS, body, HTTP_IDEMPOTENCY_KEY="enquete-2026-02")
    assert again["Idempotent-Replayed"] == "true"
    assert SurveyAnswer.objects.count() == 2


def test_a_bulk_import_above_its_own_limit_is_a_413(partner, card_holder, monkeypatch):
    monkeypatch.setattr(RidershipBulkView, "max_body_size", 3_000_000)
    body = json.dumps([{"card": "TCL 0042 1968", "month": "2026-01", "trips": 38}])
    body = body[:-1] + " " * 3_000_000 + "]"

    response = post_json(partner, RIDERSHIP, body)

    assert response.status_code == 413
    assert error_of(response)["detail"].startswith(
        "Le corps de la requête dépasse la limite de 2,9 Mo"
    )
    assert not RidershipMonth.objects.exists()


def test_the_bulk_limit_holds_a_full_batch():
    """10,000 pretty-printed subscription rows, 1,000 answers with the longest comments: over
    the default limit, within the bulk endpoints' own."""
    subscription = {
        "contract": "ABO-2026-000042",
        "card": "TCL 0042 1968 0042",
        "product": "Pass Partout annuel tarif solidaire (Métropole de Lyon)",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "status": "active",
        "sales_channel": "employer",
    }
    subscriptions = json.dumps([subscription] * 10_000, indent=2).encode()
    answer = {"token": "k" * 32, "partner_answer_id": "E" * 64, "score": 5, "comment": "é" * 2000}
    answers = json.dumps({"answers": [answer] * 1000}, indent=2).encode()

    assert len(subscriptions) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert len(subscriptions) < SubscriptionBulkView.max_body_size
    assert len(answers) < SurveyAnswerBatchView.max_body_size


# --- media type and JSON --------------------------------------------------------------------

WRITES = [
    ("post", CUSTOMERS),
    ("post", TOUCHPOINTS),
    ("post", RIDERSHIP),
    ("post", SUBSCRIPTIONS),
    ("post", SURVEY_ANSWERS),
]
NOT_JSON = [
    ("text/plain", "prénom=Hélène"),
    ("application/x-www-form-urlencoded", "first_name=H%C3%A9l%C3%A8ne&last_name=Dupont"),
    ("application/xml", "<client><prenom>Hélène</prenom></client>"),
    ("multipart/form-data; boundary=xyz", '--xyz\r\nContent-Disposition: form-data; name="a"'),
]


@pytest.mark.parametrize(("method", "url"), WRITES)
@pytest.mark.parametrize(("content_type", "body"), NOT_JSON)
def test_a_body_that_is_not_json_is_a_415(partner, method, url, content_type, body):
    response = getattr(partner, method)(url, data=body, content_type=content_type)

    assert response.status_code == 415
    error = error_of(response)
    assert error["code"] == "unsupported_media_type"
    assert nothing_saved()


def test_a_body_without_content_type_is_a_415_not_an_empty_change(partner, make_customer):
    helene = make_customer()
    url = reverse("api:customer-detail", args=[helene.pk])

    response = partner.generic("PATCH", url, json.dumps({"needs": "Malvoyante"}), content_type="")

    assert response.status_code == 415
    assert "application/json" in error_of(response)["detail"]
    helene.refresh_from_db()
    assert helene.needs == ""


@pytest.mark.parametrize("url", [CUSTOMERS, TOUCHPOINTS, RIDERSHIP, SURVEY_ANSWERS])
@pytest.mark.parametrize(
    "body",
    [
        b'{"first_name": "H\xc3\xa9l\xc3\xa8ne", ',  # cut short
        b'{"first_name": "H\xe9l\xe8ne"}',  # Latin-1, not UTF-8
        b"\x00",
        b'{"trips": NaN}',
        b"[" * 100_000,  # nested beyond Python's recursion
    ],
    ids=["truncated", "latin1", "nul", "nan", "deep"],
)
def test_malformed_json_is_a_400_malformed_json(partner, url, body):
    response = post_json(partner, url, body)

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert error["detail"] == "Le corps de la requête n'est pas un JSON valide."
    assert nothing_saved()


def test_a_body_nested_too_deep_is_refused_before_the_view(partner):
    body = {**HELENE, "tags": json.loads("[" * 40 + "]" * 40)}

    response = post_json(partner, CUSTOMERS, body)

    assert response.status_code == 400
    assert error_of(response)["code"] == "too_deep"
    assert not Customer.objects.exists()


# --- unknown fields -------------------------------------------------------------------------


def test_an_unknown_field_on_create_is_named(partner):
    response = post_json(partner, CUSTOMERS, {**HELENE, "prenom_usuel": "Léna"})

    assert response.status_code == 400
    assert problems(response) == {(None, "prenom_usuel", "unknown_field")}
    assert error_of(response)["detail"] == "Champ inconnu."
    assert not Customer.objects.exists()


def test_an_unknown_field_on_change_changes_nothing(partner, make_customer):
    helene = make_customer()

    response = partner.patch(
        reverse("api:customer-detail", args=[helene.pk]),
        {"needs": "Malvoyante", "besoins": "Malvoyante"},
        format="json",
    )

    assert response.status_code == 400
    assert problems(response) == {(None, "besoins", "unknown_field")}
    helene.refresh_from_db()
    assert helene.needs == ""


def test_a_typo_on_a_touchpoint_is_not_dropped(partner, card_holder):
    body = {
        "customer": card_holder.pk,
        "channel": "phone",
        "reason": "lost_property",
        "sumary": "Écharpe oubliée dans le tram T1",
    }

    response = post_json(partner, TOUCHPOINTS, body)

    assert response.status_code == 400
    assert problems(response) == {(None, "summary", "required"), (None, "sumary", "unknown_field")}
    assert not Touchpoint.objects.exists()


def test_an_unknown_field_in_a_bulk_row_names_its_row(partner, card_holder, invitations):
    ridership = [
        {"card": "TCL 0042 1968", "month": "2026-01", "trips": 38},
        {"card": "TCL 0042 1968", "month": "2026-02", "trips": 41, "voyages": 41},
    ]
    answers = {
        "answers": [{"token": invitations[0], "score": 5, "note": 5}],
        "lot": "2026-02",
    }

    refused_rows = post_json(partner, RIDERSHIP, ridership)
    refused_answers = post_json(partner, SURVEY_ANSWERS, answers)

    assert refused_rows.status_code == refused_answers.status_code == 400
    assert problems(refused_rows) == {(1, "voyages", "unknown_field")}
    assert problems(refused_answers) == {
        (0, "note", "unknown_field"),
        (None, "lot", "unknown_field"),
    }
    assert nothing_saved()


# --- values ---------------------------------------------------------------------------------

CUSTOMER_VALUES = [
    ({"first_name": 42}, "first_name", None),  # numbers are accepted as text by DRF
    ({"first_name": {"prénom": "Hélène"}}, "first_name", "invalid"),
    ({"first_name": "H" * 101}, "first_name", "max_length"),
    ({"first_name": "Hé\x00lène"}, "first_name", "null_characters_not_allowed"),
    ({"first_name": "H\ud800lène"}, "first_name", "invalid_unicode"),
    ({"tags": "gros caractères"}, "tags", "not_a_list"),
    ({"tags": ["x" * 41]}, "tags.0", "max_length"),
    ({"phones": ["06 12 34\x00 56 78"]}, "phones.0", "null_characters_not_allowed"),
    ({"segment": 10**30}, "segment", "does_not_exist"),
    ({"segment": -1}, "segment", "does_not_exist"),
    ({"segment": "seniors"}, "segment", "incorrect_type"),
    ({"usual_contact": 2**63}, "usual_contact", "does_not_exist"),
    ({"birth_date": "31/02/1968"}, "birth_date", "invalid"),
    ({"birth_date": "1968-02-30"}, "birth_date", "invalid"),
    ({"birth_date": "99999-01-01"}, "birth_date", "invalid"),
    ({"civility": "<b>mme</b>"}, "civility", "invalid_choice"),
    ({"confirm_duplicate": "peut-être"}, "confirm_duplicate", "invalid"),
]


@pytest.mark.parametrize(("change", "field", "code"), CUSTOMER_VALUES)
def test_a_bad_customer_value_is_a_400_naming_the_field(partner, change, field, code):
    response = post_json(partner, CUSTOMERS, {**HELENE, **change})

    if code is None:
        assert response.status_code == 201
        return
    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}
    assert not Customer.objects.exists()


TOUCHPOINT_VALUES = [
    ({"reason": "lost\x00property"}, "reason", "null_characters_not_allowed"),
    ({"reason": "x" * 10_000}, "reason", "does_not_exist"),
    ({"channel": "pigeon\x00"}, "channel", "invalid_choice"),
    ({"summary": "Écharpe\x00 oubliée"}, "summary", "null_characters_not_allowed"),
    ({"summary": "Écharpe \udfff oubliée"}, "summary", "invalid_unicode"),
    ({"customer": 10**30}, "customer", "does_not_exist"),
    ({"customer": "Hélène"}, "customer", "incorrect_type"),
    ({"request": -5}, "request", "does_not_exist"),
    ({"occurred_at": "2026-13-45T10:00:00+01:00"}, "occurred_at", "invalid"),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at", "overflow"),
    ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "occurred_at", "overflow"),
    ({"occurred_at": "2999-01-01T10:00:00+01:00"}, "occurred_at", "future_date"),
    ({"occurred_at": "0001-01-03T00:00:00Z"}, "occurred_at", "implausible_date"),
]


@pytest.mark.parametrize(("change", "field", "code"), TOUCHPOINT_VALUES)
def test_a_bad_touchpoint_value_is_a_400_naming_the_field(
    partner, card_holder, change, field, code
):
    body = {
        "customer": card_holder.pk,
        "channel": "phone",
        "reason": "lost_property",
        "summary": "Écharpe oubliée dans le tram T1",
        **change,
    }

    response = post_json(partner, TOUCHPOINTS, body)

    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}
    assert not Touchpoint.objects.exists()


QUERIES = [
    (CUSTOMERS, {"search": "Hé\x00lène"}, "search", "null_characters_not_allowed"),
    (CUSTOMERS, {"search": "Dupont " * 100}, "search", "max_length"),
    (CUSTOMERS, {"limit": "-1"}, "limit", "min_value"),
    (CUSTOMERS, {"limit": str(10**30)}, "limit", "max_value"),
    (CUSTOMERS, {"cursor": "bz1hYmM="}, "cursor", "invalid_cursor"),  # o=abc
    (reverse("api:customer-lookup"), {"phone": "06\x0012"}, "phone", "invalid_phone"),
    (reverse("api:customer-lookup"), {"phone": "9" * 5000}, "phone", "invalid_phone"),
    (reverse("api:request-list"), {"status": "ouverte\x00"}, "status", "invalid_choice"),
    (reverse("api:request-list"), {"agency": str(10**30)}, "agency", "does_not_exist"),
]


@pytest.mark.parametrize(("url", "query", "field", "code"), QUERIES)
def test_a_bad_query_parameter_is_a_400_naming_it(partner, url, query, field, code):
    response = partner.get(url, query)

    assert response.status_code == 400, response.content
    assert problems(response) == {(None, field, code)}


def test_a_bad_cursor_on_the_timeline_is_a_400(partner, make_customer):
    helene = make_customer()
    url = reverse("api:customer-timeline", args=[helene.pk])

    for cursor, size in [("pas-un-curseur", "20"), ("", "-3"), ("", str(10**30))]:
        response = partner.get(url, {"cursor": cursor, "size": size} if cursor else {"size": size})
        assert response.status_code == 400, response.content
        assert error_of(response)["field"] in {"cursor", "size"}


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "-1", "abc", "%00"])
def test_an_id_that_cannot_exist_is_a_404(partner, pk):
    response = partner.get(f"/api/v1/customers/{pk}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("key", "detail"),
    [
        ("clé\x00nulle", "La clé d'idempotence contient un caractère de contrôle."),
        ("k" * 256, "La clé d'idempotence dépasse 255 caractères."),
    ],
)
def test_a_bad_idempotency_key_is_a_400(partner, key, detail):
    response = post_json(partner, CUSTOMERS, HELENE, HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["field"], error["detail"]) == (
        "invalid_idempotency_key",
        "Idempotency-Key",
        detail,
    )
    assert not Customer.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_method_the_endpoint_does_not_have_is_a_405_with_allow(api_client):
    response = api_client.put(TOUCHPOINTS, {}, format="json")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "POST, OPTIONS"


# --- batches: all or nothing ----------------------------------------------------------------

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
