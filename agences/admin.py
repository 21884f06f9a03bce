from django.contrib import admin

from agences.models import Agency, Agent


class AgentInline(admin.TabularInline):
    model = Agent
    fields = ["display_name", "user", "phone_extension", "languages"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone"]
    search_fields = ["name", "city"]
    inlines = [AgentInline]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["display_name", "agency", "phone_extension", "user"]
    list_filter = ["agency"]
    list_select_related = ["agency", "user"]
    search_fields = ["display_name", "user__username", "user__email"]
    raw_id_fields = ["user"]


# appended with the workspace: kept beside its registrations (the file is shared)
from agences.models import AgentAbsence, Partner  # noqa: E402


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "contact_name", "contact_email", "contact_phone"]
    search_fields = ["name", "domain", "contact_name"]


@admin.register(AgentAbsence)
class AgentAbsenceAdmin(admin.ModelAdmin):
    list_display = ["agent", "start", "end", "reason"]
    list_filter = ["agent__agency"]
    list_select_related = ["agent"]
    raw_id_fields = ["agent"]
    date_hierarchy = "start"


# appended with the loyalty cycle: partners' people and commitments, academy, skills
from agences.models import (  # noqa: E402
    AgentSkill,
    PartnerCommitment,
    PartnerComplianceMonth,
    PartnerMember,
    Skill,
    TrainingAttendance,
    TrainingSession,
)


@admin.register(PartnerMember)
class PartnerMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "partner", "email", "user"]
    list_filter = ["partner"]
    list_select_related = ["partner", "user"]
    search_fields = ["full_name", "email", "partner__name"]
    raw_id_fields = ["user"]


@admin.register(PartnerCommitment)
class PartnerCommitmentAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "partner",
        "party",
        "measure",
        "max_hours",
        "target_percent",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["partner", "party", "measure"]
    list_select_related = ["partner"]
    search_fields = ["title", "partner__name"]


@admin.register(PartnerComplianceMonth)
class PartnerComplianceMonthAdmin(admin.ModelAdmin):
    """Snapshots are written by partner_compliance_compute only."""

    list_display = [
        "partner",
        "commitment",
        "month",
        "escalated",
        "on_time",
        "late",
        "pending",
        "computed_at",
    ]
    list_filter = ["partner", "month"]
    list_select_related = ["partner", "commitment"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "category", "language_code"]
    list_filter = ["category"]
    search_fields = ["label", "code"]
    prepopulated_fields = {"code": ["label"]}


@admin.register(AgentSkill)
class AgentSkillAdmin(admin.ModelAdmin):
    list_display = ["agent", "skill", "level", "assessed_on", "assessed_by"]
    list_filter = ["skill", "level", "agent__agency"]
    list_select_related = ["agent", "skill", "assessed_by"]
    raw_id_fields = ["agent", "assessed_by"]


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    fields = ["agent", "partner_member", "status"]
    raw_id_fields = ["agent", "partner_member"]
    extra = 0


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "starts_at", "duration_hours", "trainer", "place", "capacity"]
    list_filter = ["skill"]
    search_fields = ["topic", "trainer", "place"]
    date_hierarchy = "starts_at"
    inlines = [TrainingAttendanceInline]
