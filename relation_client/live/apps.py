from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "relation_client.live"
    label = "live"
    verbose_name = _("Événements en direct")

    def ready(self):
        from relation_client.live.signals import session_ended

        user_logged_out.connect(session_ended, dispatch_uid="live.session_ended")
