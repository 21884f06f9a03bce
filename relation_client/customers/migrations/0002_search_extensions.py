from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm and unaccent: accent- and typo-tolerant name search."""

    dependencies = [("customers", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
