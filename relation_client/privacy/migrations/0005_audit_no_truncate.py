from django.db import migrations

# Row triggers (0002) do not fire on TRUNCATE, and the application's role owns the table:
# one statement would empty the trail. This statement trigger refuses it, whoever asks.
# The one way through is explicit: a session that sets privacy.audit_truncate to 'allow'
# (the test database does, so that Django can flush it between tests). It adds nothing
# for an intruder: the owner of a table may drop its triggers anyway; what it stops is the
# TRUNCATE typed or scripted by habit (a "reset" script, TRUNCATE … CASCADE of a loader).
SQL = """
CREATE OR REPLACE FUNCTION privacy_audit_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('privacy.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'privacy_auditevent is append-only: TRUNCATE refused';
END $$;
CREATE TRIGGER privacy_audit_no_truncate
BEFORE TRUNCATE ON privacy_auditevent
FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_no_truncate();
"""
REVERSE = """
DROP TRIGGER IF EXISTS privacy_audit_no_truncate ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_audit_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_audit_changes_and_unmerge")]

    operations = [migrations.RunSQL(SQL, reverse_sql=REVERSE)]
