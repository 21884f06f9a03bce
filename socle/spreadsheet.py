"""Cells of a CSV file for French spreadsheets (LibreOffice, Excel in French): decimal
commas, and no text a spreadsheet would run as a formula (OWASP CSV injection). The
files themselves use semicolons and UTF-8 with a BOM."""

import csv
import datetime
import itertools
from collections.abc import Iterable
from decimal import Decimal

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse

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


class _Echo:
    def write(self, value):
        return value


# lines handed from the request's thread to the ASGI server at a time
ASGI_BATCH_LINES = 500


class _LineStream(StreamingHttpResponse):
    """Streamed under ASGI too. Django's ASGI handler reads a synchronous iterator whole
    into memory before sending it (StreamingHttpResponse.__aiter__); this one hands it
    over a batch of lines at a time, each read in the request's own thread (the
    database cursor's)."""

    async def __aiter__(self):
        if self.is_async:
            async for part in super().__aiter__():
                yield part
            return
        content = self.streaming_content
        next_batch = sync_to_async(lambda: list(itertools.islice(content, ASGI_BATCH_LINES)))
        while batch := await next_batch():
            for part in batch:
                yield part


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV file as French spreadsheets open it (semicolons, UTF-8 with BOM, decimal
    commas, no formula in any cell), streamed: a long list is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER)

    def lines():
        yield BOM
        yield writer.writerow(spreadsheet_row(header))
        for row in rows:
            yield writer.writerow(spreadsheet_row(row))

    response = _LineStream(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
