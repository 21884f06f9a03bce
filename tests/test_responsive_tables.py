"""On a phone a table wider than the screen scrolls inside its own frame: every table of
the pages sits in a .table-responsive (static/css/app.css keeps its visually hidden texts
inside too). tests/browser/test_mobile.py measures the pages themselves."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_every_table_of_a_page_scrolls_in_its_own_frame():
    bare = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for table in re.finditer(r"<table\b", text):
            # the element that opens right before the table, with nothing closed between
            before = text[: table.start()]
            opening = before.rfind("<div")
            if (
                opening < 0
                or "</" in before[opening:]
                or "table-responsive" not in before[opening:]
            ):
                line = before.count("\n") + 1
                bare.append(f"{template.relative_to(TEMPLATES)}:{line}")
    assert bare == []
