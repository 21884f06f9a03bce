"""Writes of reconquest, split by sub-domain; import the use cases from here."""

from reconquete.services.campaigns import (
    CampaignData,
    LaunchReport,
    campaign_close,
    campaign_create,
    campaign_launch,
)
from reconquete.services.campaigns_outcomes import case_outcome_record, target_outcome_record
from reconquete.services.imports import ImportRejected, ImportReport, RowError, csv_records
from reconquete.services.imports_ridership import ridership_import
from reconquete.services.imports_subscriptions import subscriptions_import
from reconquete.services.indicators import ComputeReport, snapshot_compute
from reconquete.services.indicators_recompute import recompute_execute, recompute_request
from reconquete.services.indicators_update import last_computed_at, snapshot_update
from reconquete.services.lapses import (
    DetectionReport,
    lapse_detect,
    settings_reset,
    settings_save,
)
from reconquete.services.renewals import renewal_call_record, renewal_outcomes

__all__ = [
    "CampaignData",
    "ComputeReport",
    "DetectionReport",
    "ImportRejected",
    "ImportReport",
    "LaunchReport",
    "RowError",
    "campaign_close",
    "campaign_create",
    "campaign_launch",
    "case_outcome_record",
    "csv_records",
    "lapse_detect",
    "last_computed_at",
    "recompute_execute",
    "recompute_request",
    "renewal_call_record",
    "renewal_outcomes",
    "ridership_import",
    "settings_reset",
    "settings_save",
    "snapshot_compute",
    "snapshot_update",
    "subscriptions_import",
    "target_outcome_record",
]
