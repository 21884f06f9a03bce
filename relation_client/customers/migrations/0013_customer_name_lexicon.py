from django.db import migrations

# The lexicon of name words: each distinct word of `search_name` with the number of
# customers whose name holds it (customers_named() looks a query's words up in it, typos
# included, through its trigram index). Kept by statement triggers on the customer table
# (one pass per statement through its transition tables, so that a bulk import, a merge
# or an anonymisation costs one update of the words it touches); a TRUNCATE empties it.
# Created, then filled under the trigger's table lock: no customer written in between.
CREATE = r"""
CREATE TABLE customers_name_word (
    word text PRIMARY KEY,
    customers integer NOT NULL
);
CREATE INDEX customers_name_word_trgm ON customers_name_word USING gin (word gin_trgm_ops);

CREATE FUNCTION rc_name_words_apply(words text[], deltas integer[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO customers_name_word AS l (word, customers)
    SELECT d.word, d.delta FROM unnest(words, deltas) AS d(word, delta) ORDER BY d.word
    ON CONFLICT (word) DO UPDATE SET customers = l.customers + excluded.customers;
    DELETE FROM customers_name_word WHERE word = ANY(words) AND customers <= 0;
$$;

CREATE FUNCTION rc_name_words_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    words text[];
    deltas integer[];
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE customers_name_word;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(word), array_agg(n) INTO words, deltas FROM (
            SELECT w.word, count(DISTINCT r.id)::integer AS n
            FROM new_rows r, unnest(string_to_array(r.search_name, ' ')) AS w(word)
            WHERE w.word <> '' GROUP BY w.word
        ) d;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(word), array_agg(n) INTO words, deltas FROM (
            SELECT w.word, -count(DISTINCT r.id)::integer AS n
            FROM old_rows r, unnest(string_to_array(r.search_name, ' ')) AS w(word)
            WHERE w.word <> '' GROUP BY w.word
        ) d;
    ELSE
        -- only the words that changed: saving a customer rewrites every column
        SELECT array_agg(word), array_agg(n) INTO words, deltas FROM (
            SELECT word, sum(n)::integer AS n FROM (
                SELECT w.word, count(DISTINCT r.id) AS n
                FROM new_rows r, unnest(string_to_array(r.search_name, ' ')) AS w(word)
                WHERE w.word <> '' GROUP BY w.word
                UNION ALL
                SELECT w.word, -count(DISTINCT r.id)
                FROM old_rows r, unnest(string_to_array(r.search_name, ' ')) AS w(word)
                WHERE w.word <> '' GROUP BY w.word
            ) x GROUP BY word HAVING sum(n) <> 0
        ) d;
    END IF;
    IF words IS NOT NULL THEN
        PERFORM rc_name_words_apply(words, deltas);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER customer_name_words_insert AFTER INSERT ON customers_customer
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rc_name_words_count();
CREATE TRIGGER customer_name_words_update AFTER UPDATE ON customers_customer
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rc_name_words_count();
CREATE TRIGGER customer_name_words_delete AFTER DELETE ON customers_customer
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rc_name_words_count();
CREATE TRIGGER customer_name_words_truncate AFTER TRUNCATE ON customers_customer
    FOR EACH STATEMENT EXECUTE FUNCTION rc_name_words_count();

INSERT INTO customers_name_word (word, customers)
SELECT w.word, count(DISTINCT c.id)
FROM customers_customer c, unnest(string_to_array(c.search_name, ' ')) AS w(word)
WHERE w.word <> '' GROUP BY w.word;
"""

DROP = r"""
DROP TRIGGER customer_name_words_insert ON customers_customer;
DROP TRIGGER customer_name_words_update ON customers_customer;
DROP TRIGGER customer_name_words_delete ON customers_customer;
DROP TRIGGER customer_name_words_truncate ON customers_customer;
DROP FUNCTION rc_name_words_count();
DROP FUNCTION rc_name_words_apply(text[], integer[]);
DROP TABLE customers_name_word;
"""


class Migration(migrations.Migration):
    dependencies = [("customers", "0012_customer_search_gist_knn")]

    operations = [migrations.RunSQL(CREATE, reverse_sql=DROP)]
