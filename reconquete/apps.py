"""The reconquest app. From ready(), it plugs into the core's extension points
(relation_client.extensions): the case banner, the outcome on the touchpoint form, two
indicators for the loyalty cycle's controls, its part of the right of access and erasure."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconqueteConfig(AppConfig):
    name = "reconquete"
    verbose_name = _("Reconquête")

    def ready(self):
        # the app's own modules need the app registry: imported here, not at the top
        from reconquete import extensions as reconquest
        from reconquete.indicators import reconquest_rate_90, ridership_recovery
        from reconquete.privacy import reconquest_erase, register_privacy
        from relation_client import extensions

        reconquest.register()
        register_privacy(extensions.register_exporter)
        extensions.register_eraser(reconquest_erase)
        extensions.register_indicator(
            "reconquest_rate_90",
            _("Taux de reconquête à 90 jours du segment (%, dernière cohorte complète)"),
            reconquest_rate_90,
            unit="%",
        )
        extensions.register_indicator(
            "ridership_recovery",
            _("Fréquentation retrouvée du segment (%, dernier mois complet)"),
            ridership_recovery,
            unit="%",
        )
