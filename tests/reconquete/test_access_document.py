"""The reconquest's part of the right-of-access document: its own sections, every key
under the label of its model field, codes by their label, months as months."""

import pytest

from relation_client.privacy.document import access_document
from relation_client.privacy.services import customer_export
from tests.reconquete.test_privacy import lost_riders  # noqa: F401 (a fixture)
from tests.support.access_document import cells, undeclared

pytestmark = pytest.mark.django_db


def test_the_reconquest_sections_are_labelled_in_french(lost_riders, agent):  # noqa: F811
    helene, _jerome = lost_riders
    sections = access_document(customer_export(customer=helene, user=agent.user))
    assert undeclared(sections) == []
    subscriptions = cells(sections, "Abonnements")
    assert "ABO-2025-004217" in subscriptions and "31 décembre 2025" in subscriptions
    assert "mars 2026" in cells(sections, "Fréquentation")
    [reconquest] = [s for s in sections if s.title == "Reconquête"]
    assert [str(block.caption) for block in reconquest.blocks] == [
        "Dossiers de reconquête",
        "Campagnes de reconquête",
        "Contacts de reconquête",
    ]
    shown = cells(sections, "Reconquête")
    assert "Printemps du tram" in shown
    assert "18 mars 2026 à 12:00" in shown  # won back at noon, Paris time
    assert not {"lapsed_subscription", "won_back", "accepted"} & set(shown)  # labels, not codes
