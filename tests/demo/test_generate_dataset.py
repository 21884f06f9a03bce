"""manage.py generate_dataset: the small set, loaded by COPY into the test database."""

import datetime
import hashlib
import io
import re

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import override_settings

from agences.models import Agency, Agent
from demo.dataset import loader
from demo.dataset.services import GENERATED_TABLES
from demo.dataset.sizes import SIZES
from demo.people.names import FIRST_NAMES_F, FIRST_NAMES_M
from reconquete.models import ReconquestCase, RidershipMonth, Subscription
from relation_client.customers.models import (
    Consent,
    ContactPoint,
    Customer,
    Identifier,
)
from relation_client.customers.selectors import customer_search
from relation_client.touchpoints.models import Reason, Request, Touchpoint
from relation_client.touchpoints.services import touchpoint_log
from satisfaction.models import (
    AgentEstimate,
    GapSnapshot,
    SurveyAnswer,
    SurveyInvitation,
)

SMALL = SIZES["small"]
AS_OF = datetime.date(2026, 3, 18)
E164_MOBILE = re.compile(r"^\+33[67]\d{8}$")


def generate(**options) -> str:
    out = io.StringIO()
    call_command("generate_dataset", size="small", force=True, stdout=out, **options)
    return out.getvalue()


def index_names() -> list[str]:
    with connection.cursor() as cursor:
        return loader.index_names(cursor, GENERATED_TABLES)


def fingerprint() -> str:
    """A digest of what was generated: names, phones, touchpoints, ridership, answers."""
    queries = [
        "SELECT string_agg(concat_ws('|', id, civility, first_name, last_name, birth_date, "
        "segment_id, home_agency_id), ',' ORDER BY id) FROM customers_customer",
        "SELECT string_agg(value, ',' ORDER BY id) FROM customers_contactpoint",
        "SELECT string_agg(concat_ws('|', id, customer_id, channel, reason_id, occurred_at, "
        "mood, request_id), ',' ORDER BY id) FROM touchpoints_touchpoint",
        "SELECT string_agg(concat_ws('|', customer_id, month, trips), ',' ORDER BY id) "
        "FROM reconquete_ridershipmonth",
        "SELECT string_agg(concat_ws('|', invitation_id, score), ',' ORDER BY id) "
        "FROM satisfaction_surveyanswer",
    ]
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query)
            digest.update((cursor.fetchone()[0] or "").encode())
    return digest.hexdigest()


@pytest.mark.django_db
def test_small_set_loads_with_indexes_sequences_and_indicators():
    before = index_names()
    output = generate(as_of=AS_OF.isoformat(), with_indicators=True)

    assert Customer.objects.count() == SMALL.customers
    assert Touchpoint.objects.count() == SMALL.touchpoints
    assert RidershipMonth.objects.count() == SMALL.ridership_months
    assert SurveyAnswer.objects.count() == SMALL.answers
    assert SurveyInvitation.objects.count() == SMALL.invitations
    assert Agency.objects.filter(name__startswith="Agence ").count() == SMALL.agencies
    assert Agent.objects.filter(user__username__startswith="dataset.").count() == SMALL.agents
    # a few per cent of the touchpoints opened a request with a deadline
    requests = Request.objects.count()
    assert 0.01 * SMALL.touchpoints < requests < 0.06 * SMALL.touchpoints
    assert Touchpoint.objects.filter(request__isnull=False).count() == requests
    assert not Request.objects.filter(deadline__lte=F("opened_at")).exists()
    # a request waiting for the customer has its clock stopped, as the app stops it: the
    # moment and the working time left are recorded, and it never counts as breached
    waiting = Request.objects.filter(status="waiting_customer")
    assert waiting.exists()
    assert not waiting.filter(paused_at=None).exists()
    assert not waiting.filter(remaining_at_pause=None).exists()
    assert not waiting.exclude(breached_at=None).exists()
    assert not Request.objects.exclude(status="waiting_customer").exclude(paused_at=None).exists()
    assert Subscription.objects.exists() and Consent.objects.exists()
    assert AgentEstimate.objects.exists()
    assert Identifier.objects.filter(kind="card").exists()
    assert Identifier.objects.filter(kind="contract").count() == Subscription.objects.count()

    # one mobile per customer, unique across the network, valid E.164
    mobiles = list(
        ContactPoint.objects.filter(kind="phone", label="mobile").values_list("value", flat=True)
    )
    assert len(mobiles) == SMALL.customers == len(set(mobiles))
    phones = ContactPoint.objects.filter(kind="phone").values_list("value", flat=True)
    assert len(phones) == len(set(phones))
    for phone in phones:
        assert phone.startswith(("+336", "+337", "+334"))
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
    assert all(E164_MOBILE.match(m) for m in mobiles)

    # French names with their accents, and the civility that goes with the first name
    assert not Customer.objects.filter(first_name__in=FIRST_NAMES_F, civility="m").exists()
    assert not Customer.objects.filter(first_name__in=FIRST_NAMES_M, civility="mme").exists()
    # found by the app's own search, typed with or without the accents
    accented = Customer.objects.filter(last_name__regex=r"[éèêëïîôç]").order_by("id").first()
    assert accented is not None
    found = customer_search(query=f"{accented.first_name} {accented.last_name}", limit=100)
    assert accented in found
    plain = accented.last_name.replace("é", "e").replace("è", "e").replace("ê", "e")
    assert accented in customer_search(query=f"{accented.first_name} {plain}", limit=100)

    # the indexes and constraints dropped for the load are all back
    assert index_names() == before

    # the sequences were moved: the app inserts after the generated rows
    customer = Customer.objects.create(first_name="Éloïse", last_name="Bérénger-Saïd")
    assert customer.pk == SMALL.customers + 1
    agent = Agent.objects.filter(user__username="dataset.01.002").get()
    touchpoint = touchpoint_log(
        agent=agent,
        customer=customer,
        channel="counter",
        reason=Reason.objects.get(code="information"),
        summary="Horaires de la ligne C3 à Noël",
    )
    assert touchpoint.pk == SMALL.touchpoints + 1

    # reconquest detection found lost customers of every kind; the gap has paired answers
    reasons = set(ReconquestCase.objects.values_list("reason", flat=True))
    assert reasons == {"lapsed_subscription", "inactive", "ridership_drop"}
    network = GapSnapshot.objects.filter(period_kind="year", agency=None, channel="")
    assert network.exclude(gap=None).exists()
    assert all(row.gap > 0 for row in network.exclude(gap=None))  # staff are optimistic

    assert "mémoire max du générateur" in output
    assert "touchpoints_touchpoint" in output


@pytest.mark.django_db
def test_refuses_existing_data_unless_replace_and_is_deterministic():
    generate(seed=7, as_of=AS_OF.isoformat())
    first = fingerprint()

    with pytest.raises(CommandError, match="customers_customer"):
        generate(seed=7, as_of=AS_OF.isoformat())
    assert Customer.objects.count() == SMALL.customers

    generate(seed=7, as_of=AS_OF.isoformat(), replace=True)
    assert Customer.objects.count() == SMALL.customers
    assert fingerprint() == first

    generate(seed=8, as_of=AS_OF.isoformat(), replace=True)
    assert Touchpoint.objects.count() == SMALL.touchpoints
    assert fingerprint() != first


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_refuses_a_production_database_without_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_dataset", size="small", stdout=io.StringIO())
    assert not Customer.objects.exists()
