"""Reconquest: ticketing data (subscriptions, monthly ridership), lost-customer cases,
campaigns worked by agents, and the indicator snapshots the dashboard reads. Split by
sub-domain; import the models from here. Recompute runs are the core's BackgroundRun
(relation_client/runs)."""

from reconquete.models.campaigns import (
    ATTRIBUTABLE_OUTCOMES,
    REACHED_OUTCOMES,
    Campaign,
    CampaignStatus,
    CampaignTarget,
    ContactOutcome,
    NotContactable,
    OfferType,
    ReconquestContact,
    campaign_origins,
    target_origin,
)
from reconquete.models.cases import (
    CaseReason,
    CaseStatus,
    ReconquestCase,
    ReconquestSettings,
    default_baseline_end,
    default_baseline_start,
)
from reconquete.models.snapshots import INDICATORS_RUN, ReconquestSnapshot, SnapshotDimension
from reconquete.models.subscriptions import (
    RidershipMonth,
    SalesChannel,
    Subscription,
    SubscriptionStatus,
)

__all__ = [
    "ATTRIBUTABLE_OUTCOMES",
    "INDICATORS_RUN",
    "REACHED_OUTCOMES",
    "Campaign",
    "CampaignStatus",
    "CampaignTarget",
    "CaseReason",
    "CaseStatus",
    "ContactOutcome",
    "NotContactable",
    "OfferType",
    "ReconquestCase",
    "ReconquestContact",
    "ReconquestSettings",
    "ReconquestSnapshot",
    "RidershipMonth",
    "SalesChannel",
    "SnapshotDimension",
    "Subscription",
    "SubscriptionStatus",
    "default_baseline_end",
    "default_baseline_start",
    "campaign_origins",
    "target_origin",
]
