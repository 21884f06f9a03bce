"""Cells of a CSV file for French spreadsheets (LibreOffice, Excel in French): decimal
commas, and no text a spreadsheet would run as a formula (OWASP CSV injection). The
files themselves use semicolons and UTF-8 with a BOM."""

import datetime
from decimal import Decimal

BOM = "\ufeff"
DELIMITER = ";"
# a cell starting with one of these is read as a formula (or a DDE call)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str:
    """One cell as text: numbers with a decimal comma; text that could start a formula
    gets a leading quote, which spreadsheets show as plain text. Numbers are ours and stay
    numbers (a negative NPS keeps its minus sign)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return format(value, "f" if isinstance(value, Decimal) else "").replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_row(values) -> list[str]:
    return [spreadsheet_cell(value) for value in values]
