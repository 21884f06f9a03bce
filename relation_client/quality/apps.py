from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "relation_client.quality"
    label = "quality"
    verbose_name = _("Contrôle par échantillon")

    def ready(self):
        # the app's own modules need the app registry: imported here, not at the top
        from relation_client import extensions
        from relation_client.quality.indicators import INDICATOR, sample_conformity

        extensions.register_indicator(
            INDICATOR,
            _("Contrôle par échantillon : demandes conformes (%, 30 jours)"),
            sample_conformity,
            unit="%",
        )
