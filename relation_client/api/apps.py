from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "relation_client.api"
    label = "api"
    verbose_name = _("API des partenaires")
