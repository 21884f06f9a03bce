from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relation_client.messaging"
    label = "messaging"
    verbose_name = _("Canaux : messages reçus et envoyés")

    def ready(self):
        # the app's own modules need the app registry: imported here, not at the top
        from relation_client import extensions
        from relation_client.messaging.privacy import messaging_erase, register_privacy

        register_privacy(extensions.register_exporter)
        extensions.register_eraser(messaging_erase)
