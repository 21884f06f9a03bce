"""Read-mostly views of the cycle for administrators; managers steer it from the board."""

from django.contrib import admin

from relation_client.cycle.models import (
    AdaptedService,
    AuditFinding,
    Control,
    Decision,
    PrivilegeAction,
    Round,
    StageTransition,
    WrittenCommitment,
)


class TransitionInline(admin.TabularInline):
    model = StageTransition
    fields = ["from_stage", "to_stage", "by", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        # moves go through round_advance / round_close, which check the guards
        return False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["segment", "number", "stage", "started_at", "closed_at"]
    list_filter = ["stage", "segment"]
    list_select_related = ["segment"]
    # the stage only changes through the services, which check the guards and log the move
    readonly_fields = [
        "segment",
        "number",
        "stage",
        "previous",
        "started_at",
        "started_by",
        "closed_at",
        "closed_by",
    ]
    inlines = [TransitionInline]

    def has_add_permission(self, request) -> bool:
        return False


class RecordAdmin(admin.ModelAdmin):
    list_select_related = ["round__segment"]
    list_filter = ["round__segment"]
    raw_id_fields = ["round", "recorded_by"]


@admin.register(AuditFinding)
class AuditFindingAdmin(RecordAdmin):
    list_display = ["finding", "source", "round", "recorded_at"]
    filter_horizontal = ["partners"]


@admin.register(AdaptedService)
class AdaptedServiceAdmin(RecordAdmin):
    list_display = ["what", "for_whom", "starts_on", "ends_on", "round"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "carried_from"]


@admin.register(PrivilegeAction)
class PrivilegeActionAdmin(RecordAdmin):
    list_display = ["description", "kind", "starts_on", "ends_on", "round"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "carried_from"]


@admin.register(WrittenCommitment)
class WrittenCommitmentAdmin(RecordAdmin):
    list_display = ["title", "partner", "starts_on", "ends_on", "round"]
    list_select_related = ["round__segment", "partner"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "carried_from", "partner_commitment"]


@admin.register(Control)
class ControlAdmin(RecordAdmin):
    list_display = [
        "label",
        "indicator",
        "target",
        "measured_value",
        "measured_at",
        "is_key",
        "round",
    ]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "carried_from", "action", "measured_by"]


@admin.register(Decision)
class DecisionAdmin(RecordAdmin):
    list_display = ["decision", "round", "recorded_at"]
    raw_id_fields = [*RecordAdmin.raw_id_fields, "controls"]
