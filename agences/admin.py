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
