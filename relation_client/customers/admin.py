from django.contrib import admin

from relation_client.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "home_agency", "usual_contact"]
    list_filter = ["home_agency"]
    list_select_related = ["home_agency", "usual_contact"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["usual_contact"]
