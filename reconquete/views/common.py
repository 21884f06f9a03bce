"""What the reconquest views share: the page size and CSV answers."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

PAGE_SIZE = 25


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV file as French spreadsheets open it (semicolons, UTF-8 with BOM), streamed:
    a long list is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
