from django.contrib import admin

from relation_client.customers.models import (
    Consent,
    ContactPoint,
    Customer,
    CustomerMerge,
    Identifier,
    Segment,
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
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "segment", "home_agency", "usual_contact"]
    list_filter = ["segment", "home_agency"]
    list_select_related = ["segment", "home_agency", "usual_contact"]
    search_fields = ["last_name", "first_name", "contact_points__value", "identifiers__number"]
    raw_id_fields = ["usual_contact"]
    readonly_fields = ["search_name", "created_at", "updated_at"]
    inlines = [ContactPointInline, IdentifierInline]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    """Managers edit the segments and their priority (it orders the request queue)."""

    list_display = ["name", "priority"]
    list_editable = ["priority"]


@admin.register(CustomerMerge)
class CustomerMergeAdmin(admin.ModelAdmin):
    list_display = ["survivor", "absorbed_id", "merged_by", "merged_at"]
    list_select_related = ["survivor", "merged_by"]
    readonly_fields = ["survivor", "absorbed_id", "absorbed_snapshot", "merged_by", "merged_at"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Read-only: consents are appended by the services, never edited."""

    list_display = ["customer", "purpose", "channel", "given", "source", "recorded_at"]
    list_filter = ["purpose", "channel", "given", "source"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer", "recorded_by"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
