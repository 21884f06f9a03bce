"""The satisfaction part of the right-of-access document: answers and incivility reports
under their models' labels, codes by their label, times in Paris time."""

import pytest

from relation_client.privacy.document import access_document
from relation_client.privacy.services import customer_export
from satisfaction.services.incivility import incivility_report
from tests.support.access_document import cells, undeclared
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def test_answers_and_reports_are_labelled_in_french(helene, agent, bulk_answers):
    bulk_answers(customer=helene, agent=agent, at=paris(2026, 10, 6, 10), scores=[4], estimates=[4])
    incivility_report(
        reported_by=agent,
        direction="against_staff",
        kind="insult",
        severity=2,
        place="counter",
        description="Mme Dupont-Lefèvre a insulté l'agent",
        witnesses="Karim Benali",
        occurred_at=paris(2026, 10, 7, 11),
        customer=helene,
    )
    sections = access_document(customer_export(customer=helene, user=agent.user))
    assert undeclared(sections) == []
    reports = cells(sections, "Signalements d'incivilité")
    assert "7 octobre 2026 à 11:00" in reports and "Karim Benali" in reports
    assert not {"against_staff", "insult"} & set(reports)
    assert cells(sections, "Enquêtes de satisfaction")
