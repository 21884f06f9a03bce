"""Campaigns a manager steers, their targets and progress."""

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from agences.models import Agent
from agences.permissions import VIEW_NETWORK_FIGURES
from reconquete.models import (
    Campaign,
    CampaignTarget,
    campaign_origins,
)
from reconquete.selectors.calls import TO_DO, with_current_consent
from relation_client.messaging.models import OutboundChannel, OutboundMessage, OutboundStatus


def _steerable(agent: Agent) -> Q:
    if agent.user.has_perm(VIEW_NETWORK_FIGURES):
        return Q()
    return Q(agencies=agent.agency_id)


def _count(queryset) -> Coalesce:
    """COUNT(*) of a correlated subquery on the campaign's targets."""
    counted = queryset.order_by().values("campaign").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def campaign_list(*, agent: Agent) -> QuerySet[Campaign]:
    """The campaigns the agent steers (their agency's, or all for the network director)
    with their counts, in one query."""
    targets = CampaignTarget.objects.filter(campaign=OuterRef("pk"))
    ids = Campaign.objects.filter(_steerable(agent)).values("pk")
    return Campaign.objects.filter(pk__in=ids).annotate(
        targeted=_count(targets),
        contactable_count=_count(targets.filter(contactable=True)),
        done=_count(targets.filter(contactable=True).exclude(outcome__in=TO_DO)),
        won_back=_count(targets.filter(case__attributed_campaign=OuterRef("pk"))),
    )


def campaign_for(*, agent: Agent, pk: int) -> Campaign | None:
    ids = Campaign.objects.filter(_steerable(agent)).values("pk")
    return (
        Campaign.objects.filter(pk=pk, pk__in=ids)
        .select_related("created_by")
        .prefetch_related("agencies", "segments")
        .first()
    )


def campaign_targets(*, campaign: Campaign, contactable: bool | None) -> QuerySet[CampaignTarget]:
    """The targets with their consent as of now: `contactable_now` is false once the
    customer has withdrawn every channel the campaign reached them on."""
    targets = with_current_consent(
        campaign.targets.select_related("customer", "agent", "case")
    ).annotate(
        contactable_now=ExpressionWrapper(
            Q(contactable=True, current_channels__len__gt=0), output_field=BooleanField()
        )
    )
    if contactable is not None:
        targets = targets.filter(contactable_now=contactable)
    return targets.order_by("-contactable_now", "customer__last_name", "customer__first_name", "id")


def campaign_counts(*, campaign: Campaign) -> dict:
    """Progress of a campaign, in one query (keys differ from the fields they count);
    contactable as of now, like the targets' list and CSV."""
    now = Q(contactable=True, current_channels__len__gt=0)
    return with_current_consent(campaign.targets.all()).aggregate(
        n_targeted=Count("id"),
        n_contactable=Count("id", filter=now),
        n_assigned=Count("id", filter=now & Q(agent__isnull=False)),
        n_done=Count("id", filter=Q(contactable=True) & ~Q(outcome__in=TO_DO)),
        n_accepted=Count("id", filter=Q(outcome="accepted")),
        n_won_back=Count("id", filter=Q(case__attributed_campaign=campaign)),
    )


def campaign_sending(*, campaign: Campaign) -> list[dict]:
    """The campaign's e-mails and SMS in the outbox, per channel and status, in one query:
    [{"label": "E-mail", "sent": 120, "pending": 3, "failed": 0, "cancelled": 1}]."""
    counts = (
        OutboundMessage.objects.exclude(origin="")
        .filter(origin__in=campaign_origins(campaign))
        .values("channel", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    table: dict[str, dict] = {}
    for row in counts:
        line = table.setdefault(
            row["channel"],
            {
                "label": OutboundChannel(row["channel"]).label,
                **dict.fromkeys(OutboundStatus.values, 0),
            },
        )
        line[row["status"]] = row["n"]
    return [table[channel] for channel in OutboundChannel.values if channel in table]
