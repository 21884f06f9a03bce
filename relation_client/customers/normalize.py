"""Contact points in one spelling: phones in E.164 (default region France), e-mails case-folded."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from socle.errors import DomainError

# Overseas departments share France's ten-digit national plan (0692…, 0590…) but have their own
# country codes; Saint-Barthélemy and Saint-Martin use Guadeloupe's ranges, so GP covers them.
# Saint-Pierre-et-Miquelon is left out: its six-digit numbers are not dialled the French way.
_OVERSEAS_REGIONS = ("RE", "YT", "GP", "MQ", "GF")
_FRENCH_COUNTRY_CODES = frozenset({33, 262, 590, 594, 596})


def _overseas_number(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber | None:
    """The overseas number behind a +33 reading, or None when the prefix is metropolitan.

    phonenumbers accepts a few overseas ranges (0269 Mayotte, 0596 Martinique) as metropolitan,
    so an overseas match wins even over a valid +33 reading.
    """
    national = "0" + phonenumbers.national_significant_number(number)
    for region in _OVERSEAS_REGIONS:
        try:
            candidate = phonenumbers.parse(national, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(candidate):
            return candidate
    return None


def phone_normalize(raw: str, *, field: str = "phones") -> str:
    """'06 12 34 56 78', '0612345678', '+33 6 12 34 56 78', '0033612345678' -> '+33612345678'.

    Overseas numbers get their own country code whatever the spelling:
    '0692 12 34 56', '+262 692 12 34 56' and '+33 692 12 34 56' -> '+262692123456'.
    """
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and number.country_code == 33:
        number = _overseas_number(number) or number
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
    """French numbers, overseas ones included, the French way (0692 12 34 56), others internationally."""
    number = phonenumbers.parse(e164, "FR")
    if number.country_code in _FRENCH_COUNTRY_CODES:
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
