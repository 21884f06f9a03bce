"""TRUNCATE on the audit trail is refused, through any connection, by the statement
trigger of privacy migration 0004: row triggers do not fire on TRUNCATE, and the
application's role owns the table."""

import psycopg
import pytest
from django.db import connection

from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.privacy.services import audit_record


@pytest.fixture
def own_connection(reference_data):
    """A connection of its own, as psql or a script would open one; the test database's
    permission to truncate (tests/conftest.py, for Django's flush) is taken back."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as own:
        own.execute("SET privacy.audit_truncate = ''")
        own.execute("SET lock_timeout = '5s'")
        yield own


def test_truncate_of_the_audit_trail_fails(own_connection, dpo):
    audit_record(user=dpo.user, action=AuditAction.VIEW, customer_ids=[1, 2], channel="page")

    with pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE refused"):
        own_connection.execute("TRUNCATE privacy_auditevent")
    with pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE refused"):
        own_connection.execute("TRUNCATE privacy_auditevent RESTART IDENTITY CASCADE")

    assert AuditEvent.objects.count() == 2
