"""Satisfaction's alert texts (the mechanism: socle.messages), registered from ready()."""

from django.utils.translation import gettext_lazy as _

from relation_client.messages import salutation
from satisfaction.models import IncivilityKind, Severity
from socle import messages
from socle.messages import label


def register() -> None:
    messages.register(
        "detractor", _("%(customer)s : %(subject)s — à rappeler."), customer=salutation
    )
    messages.register("compliment", _("Remerciement pour votre équipe : « %(words)s »"))
    messages.register(
        "compliment.line",
        _("Remerciement pour les conducteurs de la ligne %(line)s : « %(words)s »"),
    )
    messages.register(
        "incivility",
        _("Incivilité signalée (%(severity)s) : %(kind)s — %(agent)s."),
        severity=label(Severity, lower=True),
        kind=label(IncivilityKind, lower=True),
    )
