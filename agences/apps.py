from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AgencesConfig(AppConfig):
    name = "agences"
    verbose_name = _("Agences et équipes")

    def ready(self) -> None:
        from agences.roles import roles_sync_after_migrate

        # groups need every app's permissions, which exist only after all migrations
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="agences.roles_sync")
