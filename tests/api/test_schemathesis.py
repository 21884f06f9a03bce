"""Property-based: generated requests to every operation of the schema, on the test server.

Schemathesis reads /api/schema/ from the live test server and sends, for each operation
(the core API, the ticketing bulk endpoints, the survey answers), requests built from the
schema (valid ones) and from its negation (invalid ones), with a token that holds every
scope. No answer may be a 5xx, and every answer must be one the schema documents: its
status code, its content type, its body and its headers; and an invalid request must be
refused (negative_data_rejection: an empty `?status=`, a `page_size` that is no number).
A touchpoint without a request is in the data (its timeline item holds `request: null`),
and a URL longer than the server reads gets its documented 414 on every operation.

Bounded and deterministic: derandomized Hypothesis, 25 valid and 15 invalid examples per
operation, no shrinking (a failure is reported as found, with its curl command). The
schema documents the Idempotency-Key header, so generated POSTs carry keys: a key drawn
twice replays (same body) or is refused with a documented 422 (another body), the same
way on every run since the data is derandomized and the database flushed after the test.
"""

import datetime

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from relation_client.api.models import Scope
from relation_client.api.services import api_token_create
from relation_client.api.throttling import ApiTokenRateThrottle
from relation_client.customers.models import Civility
from relation_client.customers.services import CustomerData, customer_create
from relation_client.touchpoints.models import Direction, Reason
from relation_client.touchpoints.services import touchpoint_log
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# per operation: valid requests, then invalid ones (the whole run stays near a minute)
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


@pytest.fixture
def seeded(reference_data, social_desk, agency_lyon):
    """A few French customers with phones, cards, touchpoints and open requests, so that
    generated ids and phone numbers sometimes hit real rows."""
    agent = social_desk
    people = [
        ("Hélène", "Dupont-Lefèvre", Civility.MADAME, "06 12 34 56 78", "TCL 0042 1968"),
        ("François", "Nguyễn", Civility.MONSIEUR, "07 98 76 54 32", "TCL 0042 2001"),
        ("Zoé", "Besançon", Civility.MADAME, "04 78 00 11 22", "TCL 0042 1999"),
    ]
    customers = [
        customer_create(
            data=CustomerData(
                first_name=first,
                last_name=last,
                civility=civility,
                phones=[phone],
                cards=[card],
                home_agency=agency_lyon,
                usual_contact=agent,
                needs="Préfère être rappelée après 18 h.",
            ),
            confirm_duplicate=True,
        )
        for first, last, civility, phone, card in people
    ]
    complaint = Reason.objects.get(code="complaint")
    information = Reason.objects.get(code="information")
    touchpoints = []
    for index, customer in enumerate(customers):
        for days, reason in ((9, information), (2, complaint)):
            touchpoints.append(
                touchpoint_log(
                    agent=agent,
                    customer=customer,
                    channel="phone",
                    direction=Direction.INBOUND,
                    reason=reason,
                    summary=f"Bus C3 passé sans s'arrêter à Gratte-Ciel ({index}).",
                    occurred_at=timezone.now() - datetime.timedelta(days=days, hours=index),
                )
            )
    # an outbound call opens no request: the timeline shows `request: null`
    touchpoint_log(
        agent=agent,
        customer=customers[0],
        channel="phone",
        direction=Direction.OUTBOUND,
        reason=information,
        summary="Rappel : la carte est prête au guichet de Part-Dieu.",
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
    )
    _token, raw = api_token_create(
        name="Banc d'essai Schemathesis", agent=agent, scopes=list(Scope.values)
    )
    return {
        "token": raw,
        "customers": [c.pk for c in customers],
        "requests": sorted({t.request_id for t in touchpoints if t.request_id}),
    }


def _with_real_references(case, seeded: dict) -> None:
    """Half of the generated references (an even number, a code of even length) become
    real ones, so that reads hit real rows and writes get past the lookups."""
    ids = case.path_parameters or {}
    if isinstance(ids.get("id"), int) and ids["id"] % 2 == 0:
        pool = seeded["requests"] if case.path.startswith("/api/v1/requests/") else []
        pool = pool or seeded["customers"]
        ids["id"] = pool[ids["id"] % len(pool)]
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("customer"), int) and body["customer"] % 2 == 0:
        body["customer"] = seeded["customers"][body["customer"] % len(seeded["customers"])]
    if isinstance(body.get("reason"), str) and len(body["reason"]) % 2 == 0:
        body["reason"] = ("information", "complaint", "lost_property")[len(body["reason"]) % 3]
    if isinstance(body.get("request"), int) and body["request"] % 2 == 0:
        body["request"] = None  # attaching needs the request's own customer: rarely drawn


def _operations(url: str):
    schema = schemathesis.openapi.from_url(url)
    return [result.ok() for result in schema.get_all_operations()]


def _check(operation, mode: GenerationMode, seeded: dict, statuses: set) -> list[str]:
    """Runs one operation's generated cases; the failures it found, as text. `statuses`
    collects the (operation, status) pairs seen."""
    failures = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        _with_real_references(case, seeded)
        try:
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {seeded['token']}"}, checks=CHECKS
            )
            statuses.add((operation.label, response.status_code))
        except FailureGroup as group:
            failures.append(f"{operation.label} ({mode.value}): {group}")
            raise AssertionError(operation.label) from None

    try:
        run()
    except Exception as error:  # every operation is run, all their failures shown
        if not failures:
            failures.append(f"{operation.label} ({mode.value}): {type(error).__name__} {error}")
    return failures[-1:]


def test_generated_requests_get_documented_answers(seeded, live_server, monkeypatch):
    # hundreds of requests in well under a minute with one token: the throttle (its rates
    # are a class attribute read when DRF loads, out of override_settings' reach) would
    # turn the end of the run into 429s, documented but telling nothing
    monkeypatch.setattr(ApiTokenRateThrottle, "THROTTLE_RATES", {"token": None})
    operations = _operations(f"{live_server.url}/api/schema/?format=json")
    labels = {operation.label for operation in operations}
    assert {
        "POST /api/v1/customers/",
        "PATCH /api/v1/customers/{id}/",
        "POST /api/v1/touchpoints/",
        "POST /api/v1/ridership/",
        "POST /api/v1/subscriptions/",
        "POST /api/v1/survey-answers/",
    } <= labels, labels

    statuses = set()

    failures = [
        failure
        for operation in operations
        for mode in EXAMPLES
        for failure in _check(operation, mode, seeded, statuses)
    ]

    assert not failures, "\n\n".join(failures)
    # the run reached real rows and real writes, not only refusals
    assert {
        ("GET /api/v1/customers/{id}/", 200),
        ("GET /api/v1/customers/{id}/timeline/", 200),
        ("GET /api/v1/requests/{id}/", 200),
        ("PATCH /api/v1/customers/{id}/", 200),
        ("POST /api/v1/customers/", 201),
        ("POST /api/v1/touchpoints/", 201),
    } <= statuses, sorted(statuses)


# the test server reads a request line of up to 65,536 bytes, and answers 414 beyond
TOO_LONG = "x" * 70_000


def test_a_url_too_long_gets_the_documented_414(seeded, live_server):
    operations = _operations(f"{live_server.url}/api/schema/?format=json")
    checked = 0
    for operation in operations:
        if operation.method.upper() != "GET":
            continue
        ids = {parameter.name: seeded["customers"][0] for parameter in operation.path_parameters}
        query = {parameter.name: TOO_LONG for parameter in operation.query}
        if not query:
            continue
        case = operation.Case(path_parameters=ids or None, query=query)
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {seeded['token']}"},
            checks=[not_a_server_error, status_code_conformance],
        )
        assert response.status_code == 414, operation.label
        checked += 1
    assert checked >= 4  # customers list and lookup, timeline, requests list


# rows that are not objects: generated bodies rarely hold one, and they once answered 500
NOT_OBJECTS = [None, 1, "x"]
BULK_OPERATIONS = {
    "POST /api/v1/ridership/": lambda rows: rows,
    "POST /api/v1/subscriptions/": lambda rows: rows,
    "POST /api/v1/survey-answers/": lambda rows: {"answers": rows},
}


def test_rows_that_are_not_objects_get_the_documented_400(seeded, live_server):
    operations = _operations(f"{live_server.url}/api/schema/?format=json")
    bulk = [operation for operation in operations if operation.label in BULK_OPERATIONS]
    assert len(bulk) == len(BULK_OPERATIONS)
    for operation in bulk:
        for row in NOT_OBJECTS:
            case = operation.Case(
                body=BULK_OPERATIONS[operation.label]([row]), media_type="application/json"
            )
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {seeded['token']}"},
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_schema_conformance,
                ],
            )
            assert response.status_code == 400, (operation.label, row)
            assert error_of(response)["errors"][0]["row"] == 0, (operation.label, row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/requests/?status=", "status"),
        ("/api/v1/requests/?agency=", "agency"),
        ("/api/v1/requests/?page_size=", "page_size"),
        ("/api/v1/customers/?page_size=abc", "page_size"),
        ("/api/v1/customers/?page_size=0", "page_size"),
        ("/api/v1/customers/?limit=", "limit"),
        ("/api/v1/customers/lookup/?phone=", "phone"),
    ],
)
def test_what_schemathesis_found_accepted_is_refused(make_token, url, field):
    """The inputs schemathesis drew that DRF took for absent parameters (or a default)."""
    _token, _raw, client = make_token("customers:read", "requests:read")
    response = client.get(url)
    assert response.status_code == 400, response.content
    assert error_of(response)["field"] == field
