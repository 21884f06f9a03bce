"""What the reconquest views share: the page size and CSV answers."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

from socle.spreadsheet import BOM, DELIMITER, spreadsheet_row

PAGE_SIZE = 25


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """A CSV file as French spreadsheets open it (semicolons, UTF-8 with BOM, decimal
    commas, no formula in any cell), streamed: a long list is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=DELIMITER)

    def lines():
        yield BOM
        yield writer.writerow(spreadsheet_row(header))
        for row in rows:
            yield writer.writerow(spreadsheet_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
