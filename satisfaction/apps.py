"""The satisfaction app. From ready(), it plugs into the core's extension points
(relation_client.extensions): the estimate and climate on the touchpoint form and the
survey invitation after it, each team's satisfaction on the academy page, two indicators
for the loyalty cycle's controls, its part of the right of access and erasure."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "satisfaction"
    verbose_name = _("Satisfaction")

    def ready(self):
        # the app's own modules need the app registry: imported here, not at the top
        from relation_client import extensions
        from satisfaction import extensions as satisfaction
        from satisfaction import messages
        from satisfaction.indicators import satisfaction_gap, satisfaction_score
        from satisfaction.privacy import register_privacy, satisfaction_erase

        satisfaction.register()
        messages.register()
        register_privacy(extensions.register_exporter)
        extensions.register_eraser(satisfaction_erase)
        extensions.register_indicator(
            "satisfaction_score",
            _("Satisfaction réelle du réseau entier (0–100, dernier mois complet)"),
            satisfaction_score,
            unit="/100",
        )
        extensions.register_indicator(
            "satisfaction_gap",
            _(
                "Écart entre l'estimation du personnel et la satisfaction réelle, réseau "
                "entier (points, dans un sens ou dans l'autre, dernier mois complet)"
            ),
            satisfaction_gap,
            unit="pts",
            higher_is_better=False,
        )
