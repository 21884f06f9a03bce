from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconqueteConfig(AppConfig):
    name = "reconquete"
    verbose_name = _("Reconquête")
