"""customer_merge moves every row of the absorbed record, the satellites' included, and
customer_merge_undo gives every row back: counted per table and per customer, over every
foreign key to Customer the project has (read from the models, so a new one is counted)."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from reconquete.models import (
    CampaignTarget,
    CaseStatus,
    ReconquestCase,
    ReconquestContact,
    RidershipMonth,
    Subscription,
)
from reconquete.models.campaigns import Campaign
from relation_client import extensions
from relation_client.customers.consents import consent_current
from relation_client.customers.models import (
    Consent,
    ContactPoint,
    Customer,
    CustomerMerge,
)
from relation_client.customers.services import customer_merge, customer_merge_undo
from relation_client.messaging.models import InboundMessage
from relation_client.messaging.outbox import message_queue
from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.telephony.models import Call
from relation_client.touchpoints.models import Alert, Gesture, Touchpoint
from satisfaction.models import IncivilityReport, Survey, SurveyAnswer, SurveyInvitation
from socle.errors import DomainError
from tests.factories import RequestFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
MARCH, APRIL, MAY = datetime.date(2026, 3, 1), datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)


def customer_links() -> list[tuple]:
    """(model, field) of every foreign key to Customer, in every app."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Customer
    ]


def rows_per_customer(*customers) -> dict[str, dict[int, int]]:
    ids = [c.pk for c in customers]
    counts = {}
    for model, field in customer_links():
        found = dict(
            model.objects.filter(**{f"{field}_id__in": ids})
            .values_list(f"{field}_id")
            .annotate(n=Count("pk"))
            .values_list(f"{field}_id", "n")
        )
        counts[model._meta.label_lower] = {pk: found.get(pk, 0) for pk in ids}
    return counts


def network_totals() -> dict:
    return {
        "trips": RidershipMonth.objects.aggregate(t=Sum("trips"))["t"],
        "answers": SurveyAnswer.objects.count(),
        "answer_scores": SurveyAnswer.objects.aggregate(s=Sum("score"))["s"],
        "invitations": SurveyInvitation.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "consents": Consent.objects.count(),
        "touchpoints": Touchpoint.objects.count(),
        "incivilities": IncivilityReport.objects.count(),
    }


def life(customer, *, agent, card, trips, case_opened, campaign, consents, score):
    """What a year of a transit customer leaves behind, in every table that names them."""
    touchpoint = TouchpointFactory(customer=customer, agent=agent, agency=agent.agency)
    request = RequestFactory(customer=customer, agency=agent.agency)
    Gesture.objects.create(
        touchpoint=touchpoint,
        customer=customer,
        agency=agent.agency,
        granted_by=agent,
        kind="refund",
        value=Decimal("12.50"),
        reason="Double prélèvement",
        status="granted",
    )
    Alert.objects.create(
        kind="handover",
        recipient=agent,
        customer=customer,
        request=request,
        message="À rappeler",
        cause=f"test:{customer.pk}",
    )
    for channel, purpose, given, at in consents:
        Consent.objects.create(
            customer=customer,
            channel=channel,
            purpose=purpose,
            given=given,
            recorded_at=at,
            source="counter",
        )
    subscription = Subscription.objects.create(
        customer=customer,
        contract_number=card,
        product="Tout Lyon",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        status="ended",
        sales_channel="counter",
    )
    for month, count in trips.items():
        RidershipMonth.objects.create(customer=customer, month=month, trips=count)
    case = ReconquestCase.objects.create(
        customer=customer,
        reason="lapsed_subscription",
        agency=agent.agency,
        lost_since=datetime.date(2026, 1, 1),
        watch_from=datetime.date(2026, 2, 1),
        opened_at=case_opened,
        subscription=subscription,
    )
    target = CampaignTarget.objects.create(
        campaign=campaign,
        customer=customer,
        case=case,
        agent=agent,
        contactable=True,
        channels=["phone"],
        created_at=case_opened,
    )
    ReconquestContact.objects.create(
        case=case,
        campaign=campaign,
        target=target,
        touchpoint=touchpoint,
        agent=agent,
        outcome="reached",
        channel="phone",
        occurred_at=NOW,
    )
    answered = TouchpointFactory(customer=customer, agent=agent, agency=agent.agency)
    invitation = SurveyInvitation.objects.create(
        survey=Survey.objects.get(kind="csat"),
        touchpoint=answered,
        customer=customer,
        agent=agent,
        agency=agent.agency,
        channel="counter",
        occurred_at=answered.occurred_at,
        expires_at=NOW + datetime.timedelta(days=14),
        answered_at=NOW,
    )
    SurveyAnswer.objects.create(invitation=invitation, score=score, source="web", answered_at=NOW)
    IncivilityReport.objects.create(
        direction="against_staff",
        kind="insult",
        severity=1,
        place="counter",
        description="Propos injurieux au guichet",
        occurred_at=NOW,
        agency=agent.agency,
        agent=agent,
        customer=customer,
        reported_by=agent,
    )
    # the channels: a mail received, an answer sent, a call
    InboundMessage.objects.create(
        source="web_form",
        customer=customer,
        message_id=f"<{customer.pk}.formulaire@exemple.fr>",
        sender_address=f"client{customer.pk}@exemple.fr",
        subject="Carte Técély refusée",
        received_at=NOW,
        status="filed",
    )
    message_queue(
        channel="email",
        purpose="answer",
        to_address=f"client{customer.pk}@exemple.fr",
        body_text="Bonjour Madame, votre carte est réactivée.",
        customer=customer,
        request=request,
    )
    Call.objects.create(
        call_id=f"appel-{customer.pk}",
        caller_number="0612345678",
        customer=customer,
        state="ended",
        started_at=NOW,
    )


@pytest.fixture
def twins(make_customer, agent, supervisor_lyon):
    """Hélène twice: both records have a whole life, the same phone, the same campaign,
    an open case each and a ridership month in common (April)."""
    campaign = Campaign.objects.create(
        name="Reprenez le tram !",
        channels=["phone"],
        created_by=supervisor_lyon,
        offer_type="free_month",
        offer_text="Un mois offert",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    keep = make_customer(phones=["06 12 34 56 78"], emails=["h@exemple.fr"], cards=["TCL1"])
    twin = make_customer(
        first_name="Helene",
        phones=["06 12 34 56 78", "04 78 00 00 01"],
        cards=["TCL2"],
        postal_address="12 rue Mercière, Lyon",
    )
    ContactPoint.objects.filter(customer=twin, value="+33612345678").update(label="mobile")
    day = datetime.timedelta(days=1)
    life(
        keep,
        agent=agent,
        card="C-KEEP",
        trips={MARCH: 20, APRIL: 18},
        case_opened=NOW - 10 * day,
        campaign=campaign,
        consents=[("email", "marketing", True, NOW - 300 * day)],
        score=5,
    )
    # the twin withdrew the marketing consent later than the survivor gave it
    life(
        twin,
        agent=agent,
        card="C-TWIN",
        trips={APRIL: 7, MAY: 9},
        case_opened=NOW - 20 * day,
        campaign=campaign,
        consents=[
            ("email", "marketing", True, NOW - 400 * day),
            ("email", "marketing", False, NOW - 30 * day),
        ],
        score=2,
    )
    return keep, twin


def test_every_row_moves_and_undo_gives_them_back(twins, supervisor_lyon):
    keep, twin = twins
    before, totals = rows_per_customer(keep, twin), network_totals()
    assert totals == {
        "trips": 54,
        "answers": 2,
        "answer_scores": 7,
        "invitations": 2,
        "subscriptions": 2,
        "consents": 3,
        "touchpoints": 4,
        "incivilities": 2,
    }

    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)

    assert not Customer.objects.filter(pk=twin.pk).exists()
    after = rows_per_customer(keep)
    folded = {
        "customers.contactpoint": 1,  # the shared mobile number
        "reconquete.ridershipmonth": 1,  # April, summed
        "reconquete.campaigntarget": 1,  # the same campaign
        "customers.customermerge": -1,  # the record of this merge
    }
    for label, count in before.items():
        expected = count[keep.pk] + count[twin.pk] - folded.get(label, 0)
        assert after[label][keep.pk] == expected, label
    assert network_totals() == totals
    assert dict(keep.ridership.values_list("month", "trips")) == {MARCH: 20, APRIL: 25, MAY: 9}
    # the twin's case was opened first: it stays open, the survivor's is closed
    cases = dict(keep.reconquest_cases.values_list("opened_at", "status"))
    assert sorted(cases.values()) == [CaseStatus.CLOSED, CaseStatus.OPEN]
    assert ReconquestContact.objects.filter(target__customer=keep).count() == 2
    mobile = keep.contact_points.get(value="+33612345678")
    assert mobile.label == "mobile"
    keep.refresh_from_db()
    assert keep.postal_address == "12 rue Mercière, Lyon"

    merge = CustomerMerge.objects.get(absorbed_id=twin.pk)
    customer_merge_undo(merge=merge, by=supervisor_lyon)

    after_undo = rows_per_customer(keep, twin)
    # the trace of the merge stays, marked undone
    assert after_undo.pop("customers.customermerge") == {keep.pk: 1, twin.pk: 0}
    before.pop("customers.customermerge")
    assert after_undo == before
    assert network_totals() == totals
    assert dict(RidershipMonth.objects.filter(customer=keep).values_list("month", "trips")) == {
        MARCH: 20,
        APRIL: 18,
    }
    assert set(ReconquestCase.objects.values_list("status", flat=True)) == {CaseStatus.OPEN}
    keep.refresh_from_db()
    assert keep.postal_address == ""
    assert keep.contact_points.get(value="+33612345678").label == ""
    restored = Customer.objects.get(pk=twin.pk)
    assert (restored.first_name, restored.created_at) == ("Helene", twin.created_at)
    assert restored.contact_points.get(value="+33612345678").label == "mobile"
    merge.refresh_from_db()
    assert merge.undone_by == supervisor_lyon
    actions = list(AuditEvent.objects.filter(customer_id=twin.pk).values_list("action", flat=True))
    assert sorted(actions) == [AuditAction.MERGE, AuditAction.UNMERGE]


def test_the_latest_consent_decision_wins_whoever_held_it(twins, supervisor_lyon):
    keep, twin = twins
    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)

    assert keep.consents.count() == 3  # the whole history of both
    current = consent_current(customer=keep)
    assert current[("email", "marketing")].given is False


def test_a_row_nobody_moves_stops_the_merge(twins, supervisor_lyon):
    """A satellite that forgot its receiver: PROTECT refuses, nothing is lost or half done."""
    keep, twin = twins
    before = rows_per_customer(keep, twin)
    receivers = list(extensions.customer_merged)
    for receiver in receivers:
        extensions.customer_merged.unregister(receiver)
    try:
        with pytest.raises(Exception, match="protected"):
            customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    finally:
        for receiver in receivers:
            extensions.customer_merged.register(receiver)
    assert rows_per_customer(keep, twin) == before
    assert not CustomerMerge.objects.exists()


def test_undo_twice_is_refused(twins, supervisor_lyon):
    keep, twin = twins
    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    merge = CustomerMerge.objects.get()
    customer_merge_undo(merge=merge, by=supervisor_lyon)
    with pytest.raises(DomainError) as error:
        customer_merge_undo(merge=merge, by=supervisor_lyon)
    assert error.value.code == "already_undone"


def test_undo_waits_for_a_later_merge_of_the_survivor(make_customer, supervisor_lyon):
    first, second, third = make_customer(), make_customer("Léa"), make_customer("Inès")
    customer_merge(survivor=first, absorbed=second, by=supervisor_lyon)
    customer_merge(survivor=third, absorbed=first, by=supervisor_lyon)
    earlier = CustomerMerge.objects.get(absorbed_id=second.pk)
    with pytest.raises(DomainError) as error:
        customer_merge_undo(merge=earlier, by=supervisor_lyon)
    assert error.value.code == "later_merge"
    customer_merge_undo(merge=CustomerMerge.objects.get(absorbed_id=first.pk), by=supervisor_lyon)
    customer_merge_undo(merge=CustomerMerge.objects.get(absorbed_id=second.pk), by=supervisor_lyon)
    assert Customer.objects.count() == 3


def test_an_agent_must_not_undo(twins, supervisor_lyon, agent):
    keep, twin = twins
    customer_merge(survivor=keep, absorbed=twin, by=supervisor_lyon)
    with pytest.raises(DomainError) as error:
        customer_merge_undo(merge=CustomerMerge.objects.get(), by=agent)
    assert error.value.code == "forbidden"
    assert not Customer.objects.filter(pk=twin.pk).exists()
