from django import forms
from django.contrib import admin, messages
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from relation_client.webhooks.models import EventKind, WebhookDelivery, WebhookEndpoint
from relation_client.webhooks.services import (
    webhook_deliveries_retry,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
)


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Adresse"),
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    events = forms.MultipleChoiceField(
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple, label=_("Événements")
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "token", "active"]


def _show_secret(request, endpoint: WebhookEndpoint, secret: str) -> None:
    messages.warning(
        request,
        _(
            "Secret de signature de « %(name)s » à transmettre maintenant, il ne sera plus affiché : %(secret)s"
        )
        % {"name": endpoint.name, "secret": secret},
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Administrators declare a partner's address; its signing secret is shown once."""

    form = WebhookEndpointForm
    list_display = ["name", "url", "events", "active", "token", "created_at"]
    list_select_related = ["token"]
    list_filter = ["active"]
    raw_id_fields = ["token"]
    actions = ["rotate_secret"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        endpoint, secret = webhook_endpoint_create(
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            token=form.cleaned_data["token"],
            active=form.cleaned_data["active"],
        )
        obj.pk = endpoint.pk
        obj.refresh_from_db()
        _show_secret(request, endpoint, secret)

    @admin.action(description=_("Changer le secret de signature"))
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            _show_secret(request, endpoint, webhook_endpoint_rotate_secret(endpoint=endpoint))


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read only, with "retry now"."""

    list_display = [
        "id",
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
    ]
    list_select_related = ["endpoint"]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["=event_id"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = [
        "endpoint",
        "event",
        "event_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "delivered_at",
        "created_at",
        "payload",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("webhooks.change_webhookdelivery")

    @admin.action(
        description=_("Réessayer maintenant les envois sélectionnés"),
        permissions=["retry"],
    )
    def retry_now(self, request, queryset):
        count = webhook_deliveries_retry(delivery_ids=list(queryset.values_list("pk", flat=True)))
        messages.success(
            request,
            _("%(count)s envoi(s) relancé(s) ; les envois déjà remis ne sont pas renvoyés.")
            % {"count": count},
        )
