"""The outbox: each event writes one delivery per subscribed endpoint in the transaction
of the change, and queues its sending only once that transaction commits."""

import datetime

import pytest
from django.db import transaction

from reconquete.models import CaseReason, CaseStatus, ReconquestCase, RidershipMonth
from reconquete.services import lapse_detect
from relation_client.api.services import api_token_create, api_token_revoke
from relation_client.touchpoints.models import AlertKind, Request
from relation_client.touchpoints.services import alert_raise
from relation_client.webhooks.events import request_opened
from relation_client.webhooks.models import DeliveryStatus, EventKind, WebhookDelivery
from relation_client.webhooks.services import webhook_emit

pytestmark = pytest.mark.django_db

URL = "https://partenaire.exemple.fr/rc/evenements"


class Rollback(Exception):
    pass


@pytest.fixture
def endpoints(make_endpoint):
    """One endpoint per event, one for all three, and one that hears nothing any more."""
    return {
        "requests": make_endpoint(URL, [EventKind.REQUEST_OPENED], name="Réseaux sociaux")[0],
        "alerts": make_endpoint(URL, [EventKind.ALERT_RAISED], name="Centre d'appels")[0],
        "won_back": make_endpoint(URL, [EventKind.CUSTOMER_WON_BACK], name="Billettique")[0],
        "all": make_endpoint(URL, list(EventKind.values), name="Entrepôt de données")[0],
        "inactive": make_endpoint(
            URL, list(EventKind.values), name="Ancien prestataire", active=False
        )[0],
    }


def deliveries(kind: str) -> set[str]:
    return set(WebhookDelivery.objects.filter(event=kind).values_list("endpoint__name", flat=True))


def test_request_opened_reaches_its_subscribers_after_the_commit(
    endpoints, helene, log, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        touchpoint = log(helene)
    assert deliveries(EventKind.REQUEST_OPENED) == {"Réseaux sociaux", "Entrepôt de données"}
    assert deliveries(EventKind.ALERT_RAISED) == set()  # an ordinary question alerts nobody
    sent = WebhookDelivery.objects.filter(event=EventKind.REQUEST_OPENED)
    assert {d.payload["data"]["request"]["id"] for d in sent} == {touchpoint.request_id}
    assert len({d.event_id for d in sent}) == 1  # one event, told to two endpoints
    assert all(d.status == DeliveryStatus.PENDING and d.attempts == 0 for d in sent)
    # dates in one format: ISO 8601, UTC, "Z"
    payload = sent[0].payload
    assert payload["occurred_at"].endswith("Z") and payload["data"]["request"]["deadline"].endswith(
        "Z"
    )
    # the webhook sending waits for the commit (the survey invitation, if any, is decided
    # inside the transaction; helene's touchpoint falls outside the sample)
    assert len(callbacks) == 1


def test_nothing_is_emitted_when_the_change_rolls_back(
    endpoints, helene, log, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        log(helene, channel="social_media", reason="complaint")
        assert WebhookDelivery.objects.count() == 4  # 2 for the request, 2 for the alert
        raise Rollback
    assert not Request.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert callbacks == []  # no task was queued


def test_alert_raised_once_per_cause_for_its_subscribers(endpoints, helene, agent):
    def raise_it():
        return alert_raise(
            kind=AlertKind.REPEAT_CONTACT,
            recipient=agent,
            customer=helene,
            cause=f"repeat:customer:{helene.pk}:touchpoint:1",
            code="legacy",
            params={"text": "Hélène Dupont-Lefèvre a pris contact 3 fois en 7 jours."},
        )

    with transaction.atomic():
        alert = raise_it()
        assert raise_it() is None  # deduplicated: no second event
    assert deliveries(EventKind.ALERT_RAISED) == {"Centre d'appels", "Entrepôt de données"}
    payloads = WebhookDelivery.objects.filter(event=EventKind.ALERT_RAISED).values_list(
        "payload", flat=True
    )
    assert {p["data"]["alert"]["id"] for p in payloads} == {alert.pk}


def test_alerts_about_staff_stay_inside(endpoints, helene, agent):
    alert_raise(
        kind=AlertKind.INCIVILITY,
        recipient=agent,
        cause="incivility:report:1",
        code="legacy",
        params={"text": "Incivilité signalée au guichet de Lyon Part-Dieu"},
    )
    assert not WebhookDelivery.objects.exists()


def test_customer_won_back_after_the_nightly_detection(
    endpoints, helene, django_capture_on_commit_callbacks
):
    from reconquete.models import ReconquestSettings

    ReconquestSettings.objects.create(
        segment=None,
        baseline_start=datetime.date(2025, 1, 1),
        baseline_end=datetime.date(2025, 3, 1),
        grace_days=30,
        drop_months=3,
        drop_percent=50,
        inactive_months=3,
        attribution_days=60,
    )
    case = ReconquestCase.objects.create(
        customer=helene,
        reason=CaseReason.RIDERSHIP_DROP,
        agency_id=helene.home_agency_id,
        lost_since=datetime.date(2025, 12, 1),
        watch_from=datetime.date(2026, 3, 1),
        opened_at=datetime.datetime(2026, 3, 10, 2, 0, tzinfo=datetime.UTC),
        threshold_trips=10,
        baseline_trips=20,
    )
    # she travels again in March
    RidershipMonth.objects.create(customer=helene, month=datetime.date(2026, 3, 1), trips=22)

    with django_capture_on_commit_callbacks() as callbacks:
        report = lapse_detect(as_of=datetime.date(2026, 4, 10))
    assert report.won_back == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WON_BACK
    assert deliveries(EventKind.CUSTOMER_WON_BACK) == {"Billettique", "Entrepôt de données"}
    payload = WebhookDelivery.objects.filter(event=EventKind.CUSTOMER_WON_BACK).first().payload
    assert payload["data"]["case"] == {
        "id": case.pk,
        "customer_id": helene.pk,
        "agency_id": helene.home_agency_id,
        "reason": "ridership_drop",
        "opened_at": "2026-03-10T02:00:00Z",
        "won_back_at": case.won_back_at.isoformat().replace("+00:00", "Z"),
        "campaign_id": None,
    }
    assert len(callbacks) == 1

    # the next run closes nothing, tells nothing
    lapse_detect(as_of=datetime.date(2026, 4, 10))
    assert WebhookDelivery.objects.filter(event=EventKind.CUSTOMER_WON_BACK).count() == 2


def test_a_revoked_token_silences_its_endpoint(make_endpoint, helene, log, agent):
    token, _raw = api_token_create(name="Réseaux sociaux", agent=agent, scopes=["requests:read"])
    make_endpoint(URL, [EventKind.REQUEST_OPENED], token=token)
    log(helene)
    assert WebhookDelivery.objects.count() == 1
    api_token_revoke(token=token)
    log(helene, summary="Deuxième question sur le même abonnement")
    assert WebhookDelivery.objects.count() == 1


def test_emitting_is_one_statement_whatever_the_endpoints(
    endpoints, helene, log, django_assert_num_queries
):
    request = log(helene).request
    with django_assert_num_queries(1):  # INSERT … SELECT … RETURNING
        ids = request_opened(request=request)
    assert len(ids) == 2
    WebhookDelivery.objects.all().delete()
    endpoints["requests"].delete()
    endpoints["all"].delete()
    with django_assert_num_queries(1):
        assert request_opened(request=request) == []


def test_an_unknown_event_is_a_programming_error(db):
    with pytest.raises(ValueError):
        webhook_emit(kind="request.deleted", data={})


def test_the_deadline_jobs_bulk_alerts_reach_the_subscribers_once(endpoints, helene, log, agent):
    from relation_client.touchpoints.services import requests_mark_breaches

    log(helene, channel="social_media", reason="complaint")  # a request, an alert
    WebhookDelivery.objects.all().delete()
    request = Request.objects.get(customer=helene)
    request.assignee = agent
    request.save()

    requests_mark_breaches(now=request.deadline + datetime.timedelta(hours=1))
    requests_mark_breaches(now=request.deadline + datetime.timedelta(hours=2))

    sent = WebhookDelivery.objects.filter(event=EventKind.ALERT_RAISED)
    assert {d.endpoint.name for d in sent} == {"Centre d'appels", "Entrepôt de données"}
    kinds = {d.payload["data"]["alert"]["kind"] for d in sent}
    assert kinds == {AlertKind.BREACH}
    alert_ids = {d.payload["data"]["alert"]["id"] for d in sent}
    assert len(sent) == 2 * len(alert_ids)  # each breach alert told once to each endpoint
