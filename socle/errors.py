"""The one error type services raise: a machine-readable code, the field, a French message."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    def __init__(self, code: str, message, field: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


NOT_ALLOWED = _("Vous n'avez pas les droits pour cette action.")
