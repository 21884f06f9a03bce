from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from agences import roles
from agences.accounts import (
    agent_roles_set,
    is_administrator,
    role_names,
    roles_grantable,
    staff_change_record,
)
from agences.models import Agency, Agent, StaffChange, StaffChangeField
from agences.permissions import VIEW_NETWORK_FIGURES


def _agency_scope(request):
    """The agencies whose people this admin user manages: every one for administrators
    and the network direction, else their own (none without an agent profile)."""
    if is_administrator(request.user) or request.user.has_perm(VIEW_NETWORK_FIGURES):
        return Agency.objects.all()
    return Agency.objects.filter(agents__user=request.user)


class AgentInline(admin.TabularInline):
    model = Agent
    fields = ["display_name", "user", "phone_extension", "languages"]
    raw_id_fields = ["user"]
    extra = 0

    def get_readonly_fields(self, request, obj=None):
        # re-pointing an agent at another login would hand that login the agency
        return [] if is_administrator(request.user) else ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone"]
    search_fields = ["name", "city"]
    inlines = [AgentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=_agency_scope(request))


class AgentAdminForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("rôles"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Agent
        fields = ["display_name", "agency", "user", "phone_extension", "languages"]

    grantable: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        held = role_names(user=self.instance.user) if self.instance.pk else []
        offered = [role for role in roles.LABELS if role in self.grantable or role in held]
        self.fields["roles"].choices = [(role, roles.LABELS[role]) for role in offered]
        self.fields["roles"].initial = held

    def clean(self):
        cleaned = super().clean()
        # a new agent's login may already hold roles: they count as held
        user = cleaned.get("user") or (self.instance.user if self.instance.pk else None)
        held = role_names(user=user) if user is not None else []
        touched = set(held).symmetric_difference(cleaned.get("roles", []))
        if not touched <= set(self.grantable):
            self.add_error("roles", _("Vous ne pouvez pas attribuer ou retirer ce rôle."))
        return cleaned


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Managers see and edit their own agency's people, give roles up to their own, and
    move no one: only administrators change an agent's agency or login. Every change of
    agency, role or login is written to the staff audit (StaffChange), on top of the
    admin's own history."""

    form = AgentAdminForm
    list_display = ["display_name", "agency", "phone_extension", "user"]
    list_filter = ["agency"]
    list_select_related = ["agency", "user"]
    search_fields = ["display_name", "user__username", "user__email"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__in=_agency_scope(request))

    def get_readonly_fields(self, request, obj=None):
        if obj is None or is_administrator(request.user):
            return []
        return ["agency", "user"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"grantable": roles_grantable(user=request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":  # a director adding someone: the agencies in scope
            kwargs["queryset"] = _agency_scope(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = Agent.objects.select_related("agency", "user").get(pk=obj.pk) if change else None
        super().save_model(request, obj, form, change)
        if before is not None and before.agency_id != obj.agency_id:
            staff_change_record(
                actor=request.user,
                agent=obj,
                field=StaffChangeField.AGENCY,
                old=before.agency.name,
                new=obj.agency.name,
            )
        if before is not None and before.user_id != obj.user_id:
            staff_change_record(
                actor=request.user,
                agent=obj,
                field=StaffChangeField.ACCOUNT,
                old=before.user.get_username(),
                new=obj.user.get_username(),
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        agent_roles_set(
            actor=request.user, agent=form.instance, new_roles=form.cleaned_data["roles"]
        )


@admin.register(StaffChange)
class StaffChangeAdmin(admin.ModelAdmin):
    """The staff audit, read-only: rows are written by agences.accounts alone."""

    list_display = ["at", "agent", "field", "old_text", "new_text", "actor"]
    list_filter = ["field"]
    list_select_related = ["agent", "actor"]
    search_fields = ["agent__display_name", "actor__username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin (administrators only, by permission), with role changes of
    staff written to the staff audit."""

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = role_names(user=user) if change else []
        super().save_related(request, form, formsets, change)
        after = role_names(user=user)
        agent = Agent.objects.filter(user=user).first()
        if agent is not None and before != after:
            staff_change_record(
                actor=request.user,
                agent=agent,
                field=StaffChangeField.ROLE,
                old=", ".join(before),
                new=", ".join(after),
            )


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
