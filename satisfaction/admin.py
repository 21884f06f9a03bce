"""Managers tune surveys and sampling rates here; the rest is read-only for support.

The pulse (PulseResponse, PulseMarker) is deliberately absent: one small agency's rows,
read one by one, would undo the anonymity the dashboard protects."""

from django.contrib import admin

from satisfaction.models import (
    ChannelSampling,
    IncivilityReport,
    LineRoute,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "allows_comment", "validity_days", "active"]
    list_filter = ["kind", "active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(ChannelSampling)
class ChannelSamplingAdmin(admin.ModelAdmin):
    list_display = ["channel", "survey", "rate"]
    list_editable = ["survey", "rate"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "survey", "customer", "agency", "channel", "sent_at", "answered_at"]
    list_filter = ["survey", "channel", "agency"]
    list_select_related = ["survey", "customer", "agency"]
    exclude = ["token_hash"]
    raw_id_fields = ["touchpoint", "customer", "agent"]


@admin.register(SurveyAnswer)
class SurveyAnswerAdmin(ReadOnlyAdmin):
    list_display = ["id", "invitation", "score", "complaint", "source", "answered_at"]
    list_filter = ["source", "complaint"]
    list_select_related = ["invitation__survey", "invitation__customer"]
    raw_id_fields = ["invitation", "loop_request"]


@admin.register(IncivilityReport)
class IncivilityReportAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "kind", "severity", "agency", "status"]
    list_filter = ["status", "direction", "severity", "agency"]
    list_select_related = ["agency"]
    raw_id_fields = ["agent", "customer", "reported_by", "acknowledged_by", "closed_by"]


@admin.register(LineRoute)
class LineRouteAdmin(admin.ModelAdmin):
    """Where each line's compliments go (the person who passes them on to its drivers)."""

    list_display = ["line", "agency", "recipient"]
    list_select_related = ["agency", "recipient"]
    autocomplete_fields = ["recipient"]
    search_fields = ["line"]
