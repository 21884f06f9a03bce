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
