import django.contrib.postgres.indexes
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations

import relation_client.customers.models


class Migration(migrations.Migration):
    # concurrently: the customers table is in use all day (as in 0012)
    atomic = False

    dependencies = [
        ("customers", "0013_customer_name_lexicon"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="customer",
            index=django.contrib.postgres.indexes.GinIndex(
                relation_client.customers.models.NameWords("search_name"),
                name="customer_name_words",
            ),
        ),
    ]
