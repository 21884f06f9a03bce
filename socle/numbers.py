"""Decimal figures on pages: rounded half away from zero, never truncated, written in the
active language (a decimal comma in French). Django's number_format cuts the digits it
does not show (3.99 with one decimal reads 3,9): every decimal shown goes through here."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

MINUS = "\u2212"  # a true minus sign, read as "moins" by screen readers


def rounded(value, digits: int = 1) -> Decimal:
    """3.99 → 4.0, 3.94 → 3.9, -0.05 → -0.1 (half away from zero, as people round)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number_text(value, digits: int = 1, *, force_grouping: bool = False) -> str:
    """The figure rounded to `digits` decimals, in the active language's format."""
    return formats.number_format(rounded(value, digits), digits, force_grouping=force_grouping)


def signed_text(value, digits: int = 1) -> str:
    """A change or a gap with its sign: +4,0 or −4,2; the sign of the rounded figure, so a
    gap of -0.04 reads 0,0 and not −0,0."""
    shown = rounded(value, digits)
    text = formats.number_format(abs(shown), digits)
    if shown > 0:
        return f"+{text}"
    return f"{MINUS}{text}" if shown < 0 else text
