"""What the right-of-access document says: its sections by title, and any key an exporter
left without a declared label."""

from relation_client.privacy.document import Section


def undeclared(sections: list[Section]) -> list[tuple[str, str]]:
    return [
        (str(section.title), col.key)
        for section in sections
        for block in section.blocks
        for col in block.columns
        if not col.declared
    ]


def cells(sections: list[Section], title: str) -> list[str]:
    """Every value shown in the section so titled (tables and records)."""
    [section] = [s for s in sections if str(s.title) == title]
    return [value for block in section.blocks for row in block.rows for value in row]
