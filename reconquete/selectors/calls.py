"""The agent's call list, and the consent every reading of a target goes through."""

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    CharField,
    F,
    Func,
    Prefetch,
    QuerySet,
)

from agences.models import Agent
from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
)
from relation_client.customers.models import ConsentPurpose, ContactPoint
from relation_client.touchpoints.models import Touchpoint

TO_DO = ["", "unreachable"]  # an unreachable customer is called again


class ConsentedChannels(Func):
    """The target's channels (checked at launch) the customer still consents to now: the
    latest marketing decision per channel, so a withdrawal by phone counts at once
    (CNIL). Compiled from the two columns, so it holds inside aliased subqueries too."""

    output_field = ArrayField(CharField(max_length=8))

    def __init__(self, channels="channels", customer="customer_id"):
        super().__init__(F(channels), F(customer))

    def as_sql(self, compiler, connection, **extra_context):
        channels, channels_params = compiler.compile(self.source_expressions[0])
        customer, customer_params = compiler.compile(self.source_expressions[1])
        # served by the consent_current index (customer, channel, purpose, -recorded_at)
        sql = (
            f"ARRAY(SELECT ch FROM unnest({channels}) AS ch WHERE ("
            "SELECT k.given FROM customers_consent k "
            f"WHERE k.customer_id = {customer} AND k.channel = ch AND k.purpose = %s "
            "ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1))"
        )
        return sql, [*channels_params, *customer_params, ConsentPurpose.MARKETING.value]


def with_current_consent(targets: QuerySet[CampaignTarget]) -> QuerySet[CampaignTarget]:
    """Targets with `current_channels`: the call list, the outcome and the exports read
    this, never the launch-time `channels` alone."""
    return targets.annotate(current_channels=ConsentedChannels())


def _call_targets(agent: Agent) -> QuerySet[CampaignTarget]:
    return (
        with_current_consent(
            CampaignTarget.objects.filter(
                agent=agent, contactable=True, campaign__status=CampaignStatus.ACTIVE
            )
        )
        .filter(current_channels__len__gt=0)
        .select_related("customer", "customer__segment", "campaign", "case")
        .prefetch_related(
            Prefetch(
                "customer__touchpoints",
                queryset=Touchpoint.objects.select_related("reason").order_by(
                    "-occurred_at", "-id"
                )[:3],
                to_attr="latest_touchpoints",
            ),
            Prefetch(
                "customer__contact_points",
                queryset=ContactPoint.objects.order_by("-kind", "id"),  # phones first
                to_attr="contacts",
            ),
        )
    )


def call_list_for(*, agent: Agent, done: bool = False) -> QuerySet[CampaignTarget]:
    """The agent's targets in running campaigns, their usual-contact customers first, with
    what the call needs: name, phone numbers, latest touchpoints, the case, the offer."""
    targets = _call_targets(agent)
    targets = targets.exclude(outcome__in=TO_DO) if done else targets.filter(outcome__in=TO_DO)
    # each person once, even when a manager let two campaigns target them: the oldest
    # campaign's line
    first_per_customer = targets.order_by("customer_id", "id").distinct("customer_id")
    targets = targets.filter(pk__in=first_per_customer.values("pk"))
    return targets.order_by("-is_usual_contact", "case__lost_since", "id")


def call_item(*, agent: Agent, pk: int) -> CampaignTarget | None:
    """One line of the call list, as the list shows it (after an outcome, for htmx)."""
    return _call_targets(agent).filter(pk=pk).first()


def target_for_agent(*, agent: Agent, pk: int) -> CampaignTarget | None:
    return (
        with_current_consent(CampaignTarget.objects.select_related("customer", "campaign", "case"))
        .filter(pk=pk, agent=agent)
        .first()
    )
