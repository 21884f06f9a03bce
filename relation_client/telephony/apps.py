from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relation_client.telephony"
    label = "telephony"
    verbose_name = _("Téléphonie")
