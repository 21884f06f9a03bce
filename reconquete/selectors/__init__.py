"""Reads of reconquest, split by page family; import them from here."""

from reconquete.selectors.calls import TO_DO, call_item, call_list_for, target_for_agent
from reconquete.selectors.campaigns import (
    campaign_counts,
    campaign_for,
    campaign_list,
    campaign_sending,
    campaign_targets,
)
from reconquete.selectors.cases import CaseSummary, case_explanation, open_cases_for
from reconquete.selectors.dashboard import (
    CampaignResult,
    Dashboard,
    Figure,
    add_months,
    campaign_results,
    dashboard_snapshot,
    latest_period,
    recompute_run,
    recompute_run_latest,
)
from reconquete.selectors.drilldown import DRILL_KINDS, drilldown_cases, drilldown_customers
from reconquete.selectors.settings import SettingsLine, settings_effective, settings_table
from reconquete.selectors.subscriptions import (
    RENEWAL_WINDOW_DAYS,
    RidingPanel,
    renewals_due,
    renewals_in_scope,
    riding_for,
)

__all__ = [
    "DRILL_KINDS",
    "RENEWAL_WINDOW_DAYS",
    "TO_DO",
    "CampaignResult",
    "CaseSummary",
    "Dashboard",
    "Figure",
    "RidingPanel",
    "SettingsLine",
    "add_months",
    "call_item",
    "call_list_for",
    "campaign_counts",
    "campaign_for",
    "campaign_list",
    "campaign_sending",
    "campaign_results",
    "campaign_targets",
    "case_explanation",
    "dashboard_snapshot",
    "drilldown_cases",
    "drilldown_customers",
    "latest_period",
    "open_cases_for",
    "recompute_run",
    "recompute_run_latest",
    "renewals_due",
    "renewals_in_scope",
    "riding_for",
    "settings_effective",
    "settings_table",
    "target_for_agent",
]
