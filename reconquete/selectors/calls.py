"""The agent's call list."""

from django.db.models import (
    Prefetch,
    QuerySet,
)

from agences.models import Agent
from reconquete.models import (
    CampaignStatus,
    CampaignTarget,
)
from relation_client.customers.models import ContactPoint
from relation_client.touchpoints.models import Touchpoint

TO_DO = ["", "unreachable"]  # an unreachable customer is called again


def _call_targets(agent: Agent) -> QuerySet[CampaignTarget]:
    return (
        CampaignTarget.objects.filter(
            agent=agent, contactable=True, campaign__status=CampaignStatus.ACTIVE
        )
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
    return targets.order_by("-is_usual_contact", "case__lost_since", "id")


def call_item(*, agent: Agent, pk: int) -> CampaignTarget | None:
    """One line of the call list, as the list shows it (after an outcome, for htmx)."""
    return _call_targets(agent).filter(pk=pk).first()


def target_for_agent(*, agent: Agent, pk: int) -> CampaignTarget | None:
    return (
        CampaignTarget.objects.select_related("customer", "campaign", "case")
        .filter(pk=pk, agent=agent)
        .first()
    )
