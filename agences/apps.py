from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgencesConfig(AppConfig):
    name = "agences"
    verbose_name = _("Agences et équipes")

    def ready(self) -> None:
        from agences.roles import roles_sync_after_migrate
        from agences.sessions import session_start
        from socle import messages

        # the staff audit's unlocking, said in the reader's language (StaffChange.old_text)
        messages.register("staff.locked", _("bloqué"))
        messages.register("staff.unlocked", _("débloqué"))
        from agences.staff_cache import staff_cache_connect

        # groups need every app's permissions, which exist only after all migrations
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="agences.roles_sync")
        # the session's idle and absolute limits count from the sign-in
        user_logged_in.connect(session_start, dispatch_uid="agences.session_start")
        # the signed-in user, agent and permissions are cached: what changes them says so
        staff_cache_connect()
