from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from relation_client.api.models import ApiToken, Scope
from relation_client.api.services import api_token_create, api_token_revoke


class ApiTokenCreationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, label=_("Droits")
    )

    class Meta:
        model = ApiToken
        fields = ["name", "agent", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators issue tokens (shown once) and revoke them; nothing else is editable."""

    list_display = ["name", "lookup", "agent", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["agent"]
    list_filter = ["revoked_at"]
    raw_id_fields = ["agent"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name",
            "lookup",
            "agent",
            "scopes",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        return (
            ["name", "agent", "scopes"] if obj is None else self.get_readonly_fields(request, obj)
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = api_token_create(
            name=form.cleaned_data["name"],
            agent=form.cleaned_data["agent"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("Jeton à transmettre maintenant, il ne sera plus affiché : %(raw)s") % {"raw": raw},
        )

    @admin.action(description=_("Révoquer les jetons sélectionnés"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        messages.success(request, _("Jetons révoqués."))

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)
