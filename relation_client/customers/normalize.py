"""Contact points in one spelling: phones in E.164 (default region France), e-mails case-folded."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from socle.errors import DomainError


def phone_normalize(raw: str, *, field: str = "phones") -> str:
    """'06 12 34 56 78', '0612345678', '+33 6 12 34 56 78', '0033612345678' -> '+33612345678'."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            "invalid_phone",
            _("« %(value)s » n'est pas un numéro de téléphone valide.") % {"value": raw},
            field=field,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_try_normalize(raw: str) -> str | None:
    try:
        return phone_normalize(raw)
    except DomainError:
        return None


def phone_display(e164: str) -> str:
    """French numbers the French way (06 12 34 56 78), others internationally."""
    number = phonenumbers.parse(e164, "FR")
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_normalize(raw: str, *, field: str = "emails") -> str:
    value = (raw or "").strip().casefold()
    try:
        validate_email(value)
    except ValidationError:
        raise DomainError(
            "invalid_email",
            _("« %(value)s » n'est pas une adresse e-mail valide.") % {"value": raw},
            field=field,
        ) from None
    return value
