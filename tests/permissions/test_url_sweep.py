"""Every URL pattern has a row in the table, and every role gets what its row says."""

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permissions.doors import call, check_api_refusal, client_for, outcome, row_id
from tests.permissions.table import DENIED, LOGIN, PERSONAS, ROWS, SKIPPED_NAMES, SKIPPED_PREFIXES


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in SKIPPED_PREFIXES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else f"<{pattern.pattern}>"
            if pattern.name in SKIPPED_NAMES or name in SKIPPED_NAMES:
                continue
            # a pattern without a name cannot be in the table: it shows as its route
            yield name


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_the_table_covers_every_url():
    covered = {row.name for row in ROWS}
    missing = project_url_names() - covered
    assert not missing, f"pages without a row in the permissions table: {sorted(missing)}"
    assert not covered - project_url_names(), "rows for URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=row_id)
def test_each_role_against_each_page(world, row):
    wrong = []
    for persona in PERSONAS:
        with override_settings(**row.settings):
            response = call(client_for(world, persona), row, world, persona)
        got, wanted = outcome(response), row.expected(persona)
        if got != wanted:
            wrong.append(f"{persona}: attendu {wanted}, obtenu {got} ({response.status_code})")
        if row.api and got in (LOGIN, DENIED):
            check_api_refusal(response)
    assert not wrong, f"{row_id(row)}\n" + "\n".join(wrong)
