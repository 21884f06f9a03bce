from django.contrib import admin

from reconquete.models import (
    Campaign,
    CampaignTarget,
    ReconquestCase,
    ReconquestContact,
    ReconquestSettings,
    ReconquestSnapshot,
    RidershipMonth,
    Subscription,
)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["contract_number", "customer", "product", "start_date", "end_date", "status"]
    list_filter = ["status", "sales_channel"]
    search_fields = ["contract_number", "customer__last_name"]
    raw_id_fields = ["customer"]


@admin.register(RidershipMonth)
class RidershipMonthAdmin(admin.ModelAdmin):
    list_display = ["customer", "month", "trips"]
    date_hierarchy = "month"
    raw_id_fields = ["customer"]
    # millions of rows: no COUNT(*) for the pagination
    show_full_result_count = False


@admin.register(ReconquestSettings)
class ReconquestSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "baseline_start",
        "baseline_end",
        "grace_days",
        "drop_months",
        "drop_percent",
        "inactive_months",
        "attribution_days",
    ]


@admin.register(ReconquestCase)
class ReconquestCaseAdmin(admin.ModelAdmin):
    list_display = ["customer", "reason", "status", "lost_since", "opened_at", "won_back_at"]
    list_filter = ["status", "reason"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "subscription", "attributed_touchpoint"]
    readonly_fields = ["opened_at", "details"]


class CampaignTargetInline(admin.TabularInline):
    model = CampaignTarget
    fields = ["customer", "agent", "contactable", "not_contactable_reason", "outcome"]
    raw_id_fields = ["customer", "agent"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # targets come from campaign_launch


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "offer_type", "starts_on", "ends_on"]
    list_filter = ["status", "offer_type"]
    filter_horizontal = ["agencies", "segments"]
    readonly_fields = ["launched_at", "created_at"]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ["campaign", "customer", "agent", "contactable", "outcome"]
    list_filter = ["contactable", "outcome", "campaign"]
    list_select_related = ["campaign", "customer", "agent"]
    raw_id_fields = ["customer", "case", "agent", "touchpoint"]


@admin.register(ReconquestContact)
class ReconquestContactAdmin(admin.ModelAdmin):
    list_display = ["case", "campaign", "outcome", "channel", "occurred_at"]
    list_filter = ["outcome", "channel"]
    raw_id_fields = ["case", "target", "touchpoint", "agent"]


@admin.register(ReconquestSnapshot)
class ReconquestSnapshotAdmin(admin.ModelAdmin):
    """Read only: snapshot_compute writes these."""

    list_display = ["period", "agency", "dimension", "label", "lost", "won_back", "computed_at"]
    list_filter = ["dimension", "period"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
