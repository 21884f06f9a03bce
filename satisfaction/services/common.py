"""What every satisfaction service shares: scale checks."""

from django.utils.translation import gettext as _

from satisfaction.models import SCALES
from socle.errors import DomainError


def scale_check(*, value, low: int, high: int, field: str) -> int:
    """The value as an int within [low, high], or a DomainError naming the field."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(
            "not_a_number",
            _("La note doit être un nombre entier entre %(low)s et %(high)s.")
            % {"low": low, "high": high},
            field=field,
        )
    if not low <= value <= high:
        raise DomainError(
            "out_of_scale",
            _(
                "La note %(value)s est hors de l'échelle : elle doit être comprise entre %(low)s et %(high)s."
            )
            % {"value": value, "low": low, "high": high},
            field=field,
        )
    return value


def kind_scale(*, kind: str, field: str = "kind") -> tuple[int, int]:
    if kind not in SCALES:
        raise DomainError(
            "invalid_kind",
            _("Échelle inconnue : « %(value)s » (csat, nps ou ces).") % {"value": kind},
            field=field,
        )
    return SCALES[kind]
