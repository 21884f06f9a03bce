"""The reference lists the data migrations write, put back after a flush.

A transactional test (live server, real worker, two connections) ends with a flush that
empties every table, and `serialized_rollback` does not always bring the rows back when
non-transactional tests ran first in the same session. The tests that need the lists
then call `reference_data_restore()` (through the `reference_data` fixture of
tests/conftest.py): it runs the same `create` functions the migrations run.
"""

import importlib

# the data migrations that hold reference lists: reasons and channel commitments,
# segments and how much faster some are answered, the reconquest reason, surveys, skills
REFERENCE_MIGRATIONS = [
    "relation_client.customers.migrations.0005_default_segments",
    "relation_client.customers.migrations.0009_segment_commitment_percent",
    "relation_client.touchpoints.migrations.0002_reference_data",
    "reconquete.migrations.0002_reconquest_touchpoint_reason",
    "satisfaction.migrations.0004_default_surveys",
    "agences.migrations.0004_default_skills",
]


def reference_data_restore() -> None:
    """Content types, permissions, reference lists and role groups, whatever is left of
    them (each step is get-or-create)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from agences.roles import roles_sync

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
    for name in REFERENCE_MIGRATIONS:
        importlib.import_module(name).create(apps, None)
    roles_sync()
