from django.db import migrations

# The staff audit is evidence: no UPDATE, no DELETE, whoever asks (even the admin).
SQL = """
CREATE OR REPLACE FUNCTION agences_staffchange_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'agences_staffchange is append-only';
END $$;
CREATE TRIGGER agences_staffchange_append_only
BEFORE UPDATE OR DELETE ON agences_staffchange
FOR EACH ROW EXECUTE FUNCTION agences_staffchange_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS agences_staffchange_append_only ON agences_staffchange;
DROP FUNCTION IF EXISTS agences_staffchange_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("agences", "0005_staff_change_and_unlock")]

    operations = [migrations.RunSQL(SQL, reverse_sql=REVERSE)]
