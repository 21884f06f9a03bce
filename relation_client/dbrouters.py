"""Dashboards read their snapshot rows from a read replica, when one is configured.

Set DATABASE_REPLICA_URL (a streaming replica of DATABASE_URL) and the snapshot tables
that the reconquest and satisfaction dashboards read (written once a night or an hour by
the workers, so a replica a few seconds behind shows the same figures) are read there.
Everything else, and every write, goes to the primary: an agent always reads what they
have just written. Without DATABASE_REPLICA_URL this router routes nothing.
"""

from django.conf import settings

REPLICA = "replica"

# app_label.ModelName of the tables read by the dashboards and written only by recomputes
SNAPSHOT_MODELS = {
    "reconquete.reconquestsnapshot",
    "satisfaction.gapsnapshot",
    "satisfaction.responsesnapshot",
    "satisfaction.teamsnapshot",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA in settings.DATABASES and _label(model) in SNAPSHOT_MODELS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
