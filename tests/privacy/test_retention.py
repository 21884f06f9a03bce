"""Retention counts from the end of the commercial relationship (CNIL): a subscription,
ridership, a survey answer or any contact keeps a customer; the job says beforehand whom it
would anonymise and why (the DPO's page, `retention_run --dry-run`)."""

import datetime
import secrets

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reconquete import extensions as reconquest
from reconquete.models import RidershipMonth, Subscription
from relation_client import extensions
from relation_client.customers.consents import consent_record
from relation_client.customers.models import Customer, Identifier
from relation_client.privacy.models import AuditEvent
from relation_client.privacy.retention import retention_candidates, retention_cutoff, retention_run
from relation_client.touchpoints.models import Reason, Touchpoint
from satisfaction.models import AnswerSource, Survey, SurveyAnswer, SurveyInvitation

pytestmark = pytest.mark.django_db

NOW = timezone.now()
FOUR_YEARS_AGO = NOW - datetime.timedelta(days=365 * 4)


def month(date: datetime.date, back: int) -> datetime.date:
    index = date.year * 12 + date.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


@pytest.fixture
def long_known(make_customer, agent):
    """make_customer, with a record created four years ago and one phone call then."""

    def make(first_name: str, last_name: str, **fields) -> Customer:
        customer = make_customer(first_name, last_name, **fields)
        Customer.objects.filter(pk=customer.pk).update(created_at=FOUR_YEARS_AGO)
        Touchpoint.objects.create(
            customer=customer,
            channel="phone",
            reason=Reason.objects.get(code="information"),
            summary="Question sur la carte Técély",
            agent=agent,
            agency_id=agent.agency_id,
            occurred_at=FOUR_YEARS_AGO + datetime.timedelta(days=2),
        )
        customer.refresh_from_db()
        return customer

    return make


def subscribe(customer: Customer, *, start: datetime.date, end=None, status="active") -> None:
    Subscription.objects.create(
        customer=customer,
        contract_number=f"C-{secrets.token_hex(5)}",
        product="Tout Lyon mensuel",
        start_date=start,
        end_date=end,
        status=status,
        sales_channel="app",
    )


def ride(customer: Customer, months: list[datetime.date], trips: int = 44) -> None:
    RidershipMonth.objects.bulk_create(
        RidershipMonth(customer=customer, month=first, trips=trips) for first in months
    )


@pytest.fixture
def daily_rider(long_known):
    """Subscribed for four years, rides every working day, never called since."""
    rider = long_known("Inès", "Daoudi", cards=["TCL 0042 7777"])
    subscribe(rider, start=FOUR_YEARS_AGO.date())
    ride(rider, [month(NOW.date(), back) for back in range(0, 48)])
    return rider


@pytest.fixture
def former_subscriber(long_known):
    """Subscription ended four years ago, no trip since."""
    former = long_known("Marius", "Roux", cards=["TCL 0042 8888"])
    subscribe(
        former,
        start=FOUR_YEARS_AGO.date() - datetime.timedelta(days=365),
        end=FOUR_YEARS_AGO.date(),
        status="ended",
    )
    ride(former, [month(FOUR_YEARS_AGO.date(), back) for back in range(1, 13)])
    return former


def test_a_daily_rider_with_an_active_subscription_is_kept(daily_rider, former_subscriber):
    run = retention_run()
    assert run.anonymised == 1
    daily_rider.refresh_from_db()
    assert daily_rider.anonymised_at is None
    assert Identifier.objects.filter(customer=daily_rider, number="TCL00427777").exists()


def test_a_subscription_ended_four_years_ago_without_ridership_is_anonymised(
    daily_rider, former_subscriber
):
    retention_run()
    former_subscriber.refresh_from_db()
    assert former_subscriber.anonymised_at is not None
    assert not Identifier.objects.filter(customer=former_subscriber).exists()
    assert AuditEvent.objects.filter(customer_id=former_subscriber.pk, action="erase").exists()
    assert not AuditEvent.objects.filter(customer_id=daily_rider.pk, action="erase").exists()


def test_without_the_reconquest_receivers_the_subscriber_would_be_anonymised(
    daily_rider, former_subscriber
):
    """The subscriber is kept by what reconquete declares, nothing else."""
    extensions.customer_activity.unregister(reconquest.SUBSCRIPTION_ACTIVITY)
    extensions.customer_activity.unregister(reconquest.RIDERSHIP_ACTIVITY)
    try:
        candidates = set(
            retention_candidates(cutoff=retention_cutoff()).values_list("pk", flat=True)
        )
    finally:
        reconquest.register()
    assert candidates == {daily_rider.pk, former_subscriber.pk}


def test_each_kind_of_activity_keeps_a_customer(long_known, agent):
    cutoff = retention_cutoff()
    rides_only = long_known("Yanis", "Bertrand")
    ride(rides_only, [month(NOW.date(), 2)], trips=3)
    suspended = long_known("Lou", "Martin")
    subscribe(suspended, start=FOUR_YEARS_AGO.date(), status="suspended")
    ended_last_year = long_known("Paul", "Girard")
    subscribe(
        ended_last_year,
        start=FOUR_YEARS_AGO.date(),
        end=NOW.date() - datetime.timedelta(days=365),
        status="ended",
    )
    consented = long_known("Rose", "Faure")
    consent_record(
        customer=consented, channel="email", purpose="marketing", given=False, source="web"
    )
    answered = long_known("Léo", "Chevalier")
    late = Touchpoint.objects.filter(customer=answered).get()
    invitation = SurveyInvitation.objects.create(
        survey=Survey.objects.get(kind="csat"),
        touchpoint=late,
        customer=answered,
        agent=agent,
        agency_id=agent.agency_id,
        channel="phone",
        occurred_at=cutoff - datetime.timedelta(days=5),
        token_hash=secrets.token_hex(32),
        sent_at=cutoff - datetime.timedelta(days=5),
        expires_at=cutoff + datetime.timedelta(days=9),
        answered_at=cutoff + datetime.timedelta(days=2),
    )
    SurveyAnswer.objects.create(
        invitation=invitation,
        score=4,
        source=AnswerSource.WEB,
        answered_at=cutoff + datetime.timedelta(days=2),
    )
    silent = long_known("Gaëtan", "Le Bihan")
    ride(silent, [month(FOUR_YEARS_AGO.date(), 0)], trips=10)  # rode, but before the cutoff

    assert retention_run().anonymised == 1
    kept = Customer.objects.filter(anonymised_at__isnull=True).values_list("pk", flat=True)
    assert {rides_only.pk, suspended.pk, ended_last_year.pk, consented.pk, answered.pk} <= set(kept)
    assert Customer.objects.get(pk=silent.pk).anonymised_at is not None


def test_the_preview_lists_exactly_the_anonymisable_with_their_reason(
    dpo_client, daily_rider, former_subscriber, make_customer
):
    make_customer("Nina", "Perrin")  # a new record: not concerned
    response = dpo_client.get(reverse("privacy:retention"))
    page = response.content.decode()
    cutoff = retention_cutoff()
    assert response.context["page"].paginator.count == 1
    [candidate] = response.context["candidates"]
    assert candidate.customer.pk == former_subscriber.pk
    last_call = (FOUR_YEARS_AGO + datetime.timedelta(days=2)).astimezone(
        timezone.get_current_timezone()
    )
    since = f"{cutoff.astimezone(timezone.get_current_timezone()).day}"
    assert candidate.reason.startswith(f"dernier contact le {last_call.day} ")
    assert "aucun abonnement en cours depuis le " + since in candidate.reason
    assert "aucune validation depuis le " + since in candidate.reason
    assert "aucune réponse à une enquête depuis le" in candidate.reason
    assert "1 fiche sans contact ni activité" in page
    assert "Roux" in page and "Daoudi" not in page
    # a preview changes nothing
    assert not Customer.objects.filter(anonymised_at__isnull=False).exists()


def test_the_preview_is_for_the_dpo_only(agent_client, manager_lyon, client):
    assert agent_client.get(reverse("privacy:retention")).status_code == 403
    client.force_login(manager_lyon.user)
    assert client.get(reverse("privacy:retention")).status_code == 403


def test_the_dry_run_says_whom_and_why_and_changes_nothing(daily_rider, former_subscriber, capsys):
    call_command("retention_run", "--dry-run")
    out = capsys.readouterr().out
    assert "Simulation : 1 fiche(s)" in out
    assert f"n° {former_subscriber.pk} : dernier contact le " in out
    assert f"n° {daily_rider.pk}" not in out
    assert not Customer.objects.filter(anonymised_at__isnull=False).exists()
    call_command("retention_run")
    assert "1 fiche(s)" in capsys.readouterr().out
    call_command("retention_run")  # idempotent
    assert "0 fiche(s)" in capsys.readouterr().out
    assert Customer.objects.filter(anonymised_at__isnull=False).count() == 1
