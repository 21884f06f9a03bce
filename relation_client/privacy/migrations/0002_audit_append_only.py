from django.db import migrations

# The audit trail is evidence: no UPDATE, no DELETE, whoever asks (even the admin).
SQL = """
CREATE OR REPLACE FUNCTION privacy_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'privacy_auditevent is append-only';
END $$;
CREATE TRIGGER privacy_audit_append_only
BEFORE UPDATE OR DELETE ON privacy_auditevent
FOR EACH ROW EXECUTE FUNCTION privacy_audit_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS privacy_audit_append_only ON privacy_auditevent;
DROP FUNCTION IF EXISTS privacy_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_audit_and_retention")]

    operations = [migrations.RunSQL(SQL, reverse_sql=REVERSE)]
