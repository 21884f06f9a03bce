import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    # concurrently: the customers table is the largest the agents search, and in use all
    # day; the GiST index first, so that searches always have an index to read
    atomic = False

    dependencies = [
        ("customers", "0011_consent_source_unsubscribe_link"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="customer",
            index=django.contrib.postgres.indexes.GistIndex(
                django.contrib.postgres.indexes.OpClass("search_name", name="gist_trgm_ops"),
                name="customer_search_knn",
            ),
        ),
        RemoveIndexConcurrently(
            model_name="customer",
            name="customer_search_trgm",
        ),
    ]
