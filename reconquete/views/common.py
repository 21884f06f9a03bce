"""What the reconquest views share: the page size (CSV answers: socle.spreadsheet)."""

PAGE_SIZE = 25
