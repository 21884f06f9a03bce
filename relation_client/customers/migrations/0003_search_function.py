from django.db import migrations

# IMMUTABLE so that a generated column and a trigram index can use it; unaccent()
# itself is only STABLE because its dictionary could change. The dictionary is named
# explicitly (public.unaccent) so the result does not depend on search_path.
CREATE = r"""
CREATE OR REPLACE FUNCTION rc_search_norm(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)),
                               '[-''’[:space:]]+', ' ', 'g')) $$;
"""


class Migration(migrations.Migration):
    dependencies = [("customers", "0002_search_extensions")]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS rc_search_norm(text);")
    ]
