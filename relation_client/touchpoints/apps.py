from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchpointsConfig(AppConfig):
    name = "relation_client.touchpoints"
    label = "touchpoints"
    verbose_name = _("Contacts et demandes")

    def ready(self):
        # the core's alert and audit texts (socle.messages), read in the reader's language
        from relation_client import messages

        messages.register()
