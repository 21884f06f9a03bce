"""Migration touchpoints 0014: the alerts written before the codes keep their French
sentence and, where it reads back into a template's parameters, get the template's code,
so that an English reader reads them in English; going back loses nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from relation_client.touchpoints.models import Alert

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("touchpoints", "0013_alert_kind_send_failed")]
AFTER = [("touchpoints", "0014_alert_message_code_and_params")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def before_codes(reference_data):
    executor = _migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_legacy_alerts_are_read_back_or_kept(before_codes, agent, helene):
    Old = before_codes.get_model("touchpoints", "Alert")
    rows = {
        "repeat": ("repeat_contact", "Mme Hélène Dupont-Lefèvre a pris contact 4 fois en 7 jours."),
        "breach": (
            "breach",
            "Échéance dépassée (05/12/2026 14:30) : Mme Hélène Dupont-Lefèvre — « Carte perdue »",
        ),
        "handover": (
            "handover",
            "Karim Benali vous confie Mme Hélène Dupont-Lefèvre : le client souhaite vous parler",
        ),
        "free": ("incivility", "Incivilité signalée (grave) : insultes — Camille Rousseau."),
    }
    for cause, (kind, message) in rows.items():
        Old.objects.create(
            kind=kind, recipient_id=agent.pk, customer_id=helene.pk, cause=cause, message=message
        )

    _migrate(AFTER)

    alerts = {alert.cause: alert for alert in Alert.objects.all()}
    repeat = alerts["repeat"]
    assert (repeat.code, repeat.params) == (
        "repeat_contact",
        {"customer": "Mme Hélène Dupont-Lefèvre", "count": 4},
    )
    assert alerts["breach"].params["deadline"] == "2026-12-05T14:30:00"
    assert alerts["handover"].params["note"] == ""
    # what does not read back stays as it was written
    assert (alerts["free"].code, alerts["free"].params) == ("legacy", {})
    with translation.override("en"):
        assert repeat.text == "Mme Hélène Dupont-Lefèvre has been in touch 4 times in 7 days."
        assert alerts["breach"].text.startswith("Deadline missed (")
        assert alerts["breach"].text.endswith(": Mme Hélène Dupont-Lefèvre — “Carte perdue”")
        assert alerts["handover"].text == (
            "Karim Benali is handing Mme Hélène Dupont-Lefèvre over to you: "
            "the customer would like to speak to you"
        )
        assert alerts["free"].text == rows["free"][1]
    for alert in alerts.values():  # the sentence is kept
        assert alert.message == rows[alert.cause][1]

    _migrate(BEFORE)  # going back: every sentence is still there
    Old = (
        MigrationExecutor(connection)
        .loader.project_state(BEFORE)
        .apps.get_model("touchpoints", "Alert")
    )
    assert {a.cause: a.message for a in Old.objects.all()} == {
        cause: message for cause, (_kind, message) in rows.items()
    }
