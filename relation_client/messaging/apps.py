from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "relation_client.messaging"
    label = "messaging"
    verbose_name = _("Canaux : messages reçus et envoyés")

    def ready(self) -> None:
        # the app's own modules need the app registry: imported here, not at the top
        from relation_client import extensions
        from relation_client.messaging import outbox
        from relation_client.messaging.answer_panels import MAIL_PANEL
        from relation_client.messaging.answers import answer_failed
        from relation_client.messaging.privacy import messaging_erase, register_privacy

        # a mail given up: its writer (else the request's people) is alerted
        if answer_failed not in outbox.FAILURE_RECEIVERS:
            outbox.FAILURE_RECEIVERS.append(answer_failed)
        # the answer form and the messages sent, on the request page
        extensions.request_panels.register(MAIL_PANEL)
        register_privacy(extensions.register_exporter)
        extensions.register_eraser(messaging_erase)
