"""Managers edit contact reasons, channel commitments and gesture limits here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from agences import roles
from relation_client.touchpoints.deadlines import commitment_rule
from relation_client.touchpoints.models import (
    Alert,
    ChannelCommitment,
    Gesture,
    GestureLimit,
    Reason,
    Request,
    Touchpoint,
)


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "opens_request", "is_complaint", "active", "position"]
    list_editable = ["opens_request", "is_complaint", "active", "position"]
    list_filter = ["active", "opens_request", "is_complaint"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(ChannelCommitment)
class ChannelCommitmentAdmin(admin.ModelAdmin):
    list_display = ["channel", "amount", "unit", "rule"]
    list_editable = ["amount", "unit"]
    radio_fields = {"unit": admin.VERTICAL}

    @admin.display(description=_("règle affichée"))
    def rule(self, commitment: ChannelCommitment) -> str:
        return commitment_rule(amount=commitment.amount, unit=commitment.unit)


class GestureLimitForm(forms.ModelForm):
    role = forms.ChoiceField(label=GestureLimit._meta.get_field("role").verbose_name)

    class Meta:
        model = GestureLimit
        fields = ["role", "max_value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # a limit only applies to an existing role: offer the role names, not free text
        self.fields["role"].choices = [(name, label) for name, label in roles.LABELS.items()]


@admin.register(GestureLimit)
class GestureLimitAdmin(admin.ModelAdmin):
    form = GestureLimitForm
    list_display = ["role", "max_value"]
    list_editable = ["max_value"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "customer",
        "agency",
        "channel",
        "status",
        "deadline",
        "breached_at",
        "assignee",
        "partner",
    ]
    list_filter = ["status", "channel", "agency"]
    list_select_related = ["customer", "agency", "assignee", "partner"]
    search_fields = ["subject", "customer__last_name", "customer__first_name"]
    raw_id_fields = ["customer", "assignee"]
    date_hierarchy = "deadline"


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "channel", "direction", "customer", "reason", "agency"]
    list_filter = ["kind", "channel", "direction", "agency"]
    list_select_related = ["customer", "reason", "agency"]
    search_fields = ["summary", "customer__last_name"]
    raw_id_fields = ["customer", "agent", "request"]
    date_hierarchy = "occurred_at"


@admin.register(Gesture)
class GestureAdmin(admin.ModelAdmin):
    list_display = ["created_at", "customer", "kind", "value", "status", "granted_by", "agency"]
    list_filter = ["status", "kind", "agency"]
    list_select_related = ["customer", "granted_by", "agency"]
    raw_id_fields = ["touchpoint", "customer", "granted_by", "decided_by"]
    date_hierarchy = "created_at"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "text"]
    list_filter = ["kind", "status"]
    list_select_related = ["recipient"]
    search_fields = ["cause", "code", "message"]
    raw_id_fields = ["recipient", "customer", "request"]
