"""The admin of customers and what names them. Customers and consents are never deleted
here (only erased, through the DPO's page and `customer_erase`), and every change of
personal data writes an audit row like a page change, with what the fields held before."""

import datetime

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from relation_client.customers.models import (
    Consent,
    ContactPoint,
    Customer,
    CustomerMerge,
    Identifier,
    Segment,
)
from relation_client.privacy.models import AuditAction
from relation_client.privacy.services import audit_record

CHANNEL = "admin"


def _value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


def form_changes(form, *, prefix: str = "") -> dict:
    """What a model form changed: {field: {"old": …, "new": …}}, old read from the form's
    initial values (the row as it was loaded)."""
    return {
        f"{prefix}{name}": {
            "old": _value(form.initial.get(name)) if form.instance._state.adding is False else None,
            "new": _value(form.cleaned_data.get(name)),
        }
        for name in form.changed_data
    }


def formset_changes(formset) -> dict:
    """Inline rows added, changed or deleted, each named by its model and id."""
    name = formset.model._meta.model_name
    changes = {}
    for form in formset.forms:
        if not form.has_changed() and form not in formset.deleted_forms:
            continue
        row = f"{name}:{form.instance.pk or 'nouveau'}"
        if form in formset.deleted_forms:
            if form.instance.pk:
                fields = [f for f in form.fields if f not in ("id", "DELETE", "customer")]
                changes[row] = {
                    "old": {f: _value(form.initial.get(f)) for f in fields},
                    "new": None,
                }
            continue
        changes.update(form_changes(form, prefix=f"{row}."))
    return changes


class AuditedCustomerAdmin(admin.ModelAdmin):
    """Writes one audit row per saved change of a customer-linked record, in the admin's
    transaction. `customer_of(obj)` names the customer the row is about."""

    def customer_of(self, obj) -> int:
        return obj.customer_id

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        request._audited_changes = (
            form_changes(form)
            if change
            else {
                name: {"old": None, "new": _value(form.cleaned_data.get(name))}
                for name in form.changed_data
            }
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        changes = getattr(request, "_audited_changes", {})
        for formset in formsets:
            changes.update(formset_changes(formset))
        super().save_related(request, form, formsets, change)
        if changes:
            audit_record(
                user=request.user,
                action=AuditAction.CHANGE,
                customer_ids=[self.customer_of(form.instance)],
                channel=CHANNEL,
                code="audit.admin_fields",
                params={"fields": sorted(changes)},
                changes=changes,
            )


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    fields = ["kind", "value", "label"]
    extra = 0


class IdentifierInline(admin.TabularInline):
    model = Identifier
    fields = ["kind", "number"]
    extra = 0


@admin.register(Customer)
class CustomerAdmin(AuditedCustomerAdmin):
    list_display = ["last_name", "first_name", "segment", "home_agency", "usual_contact"]
    list_filter = ["segment", "home_agency"]
    list_select_related = ["segment", "home_agency", "usual_contact"]
    search_fields = ["last_name", "first_name", "contact_points__value", "identifiers__number"]
    raw_id_fields = ["usual_contact"]
    readonly_fields = ["search_name", "created_at", "updated_at", "anonymised_at"]
    inlines = [ContactPointInline, IdentifierInline]

    def customer_of(self, obj) -> int:
        return obj.pk


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    """Managers edit the segments, their priority (it orders the request queue at equal
    deadline) and how much they shorten the channel's response commitment."""

    list_display = ["name", "priority", "priority_words", "commitment_percent", "commitment"]
    list_editable = ["priority", "commitment_percent"]
    fields = ["name", "priority", "commitment_percent", "description"]

    @admin.display(description=_("dans la file"))
    def priority_words(self, obj) -> str:
        return obj.priority_label

    @admin.display(description=_("délai de réponse"))
    def commitment(self, obj) -> str:
        return obj.commitment_text


@admin.register(CustomerMerge)
class CustomerMergeAdmin(admin.ModelAdmin):
    """Read-only: a merge is undone by `customer_merge_undo`, never by editing its trace."""

    list_display = ["survivor", "absorbed_id", "merged_by", "merged_at", "undone_at"]
    list_select_related = ["survivor", "merged_by"]
    readonly_fields = [
        "survivor",
        "absorbed_id",
        "absorbed_snapshot",
        "moved",
        "merged_by",
        "merged_at",
        "undone_at",
        "undone_by",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(AuditedCustomerAdmin):
    """Decisions are appended, never edited nor deleted: the latest one per channel and
    purpose is the customer's current choice, the others are the evidence."""

    list_display = ["customer", "purpose", "channel", "given", "source", "recorded_at"]
    list_filter = ["purpose", "channel", "given", "source"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "recorded_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
