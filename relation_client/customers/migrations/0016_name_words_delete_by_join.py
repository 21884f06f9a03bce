from django.db import migrations

# The lexicon's clean-up after a statement on customers deleted the words left at zero
# with `word = ANY(words)`. pg_trgm's GIN index answers `=` too, and while the lexicon had
# no statistics yet the planner took it: one trigram search per word of the statement,
# each slower as the lexicon grows (a bulk insert of 50,000 customers with 48,000 new
# surnames: about 2 minutes instead of 7 s). Only the words whose count went down can
# reach zero: the DELETE now joins those alone, and the function keeps the planner off
# bitmap scans, the only way a GIN index is read, so words go through the primary key.
APPLY = r"""
CREATE OR REPLACE FUNCTION rc_name_words_apply(words text[], deltas integer[]) RETURNS void
LANGUAGE sql SET enable_bitmapscan = off AS $$
    INSERT INTO customers_name_word AS l (word, customers)
    SELECT d.word, d.delta FROM unnest(words, deltas) AS d(word, delta) ORDER BY d.word
    ON CONFLICT (word) DO UPDATE SET customers = l.customers + excluded.customers;
    DELETE FROM customers_name_word AS l
    USING unnest(words, deltas) AS d(word, delta)
    WHERE d.delta < 0 AND l.word = d.word AND l.customers <= 0;
$$;
"""

PREVIOUS = r"""
CREATE OR REPLACE FUNCTION rc_name_words_apply(words text[], deltas integer[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO customers_name_word AS l (word, customers)
    SELECT d.word, d.delta FROM unnest(words, deltas) AS d(word, delta) ORDER BY d.word
    ON CONFLICT (word) DO UPDATE SET customers = l.customers + excluded.customers;
    DELETE FROM customers_name_word WHERE word = ANY(words) AND customers <= 0;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("customers", "0015_consent_purpose_travel_info")]

    operations = [migrations.RunSQL(APPLY, reverse_sql=PREVIOUS)]
