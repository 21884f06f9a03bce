"""The right to erasure and the right of access reach the surveys and incivility reports,
and every satisfaction figure is the same after an erasure."""

import pytest

from relation_client.customers.models import Customer
from relation_client.privacy.services import customer_export, customers_anonymise
from satisfaction.models import GapSnapshot, IncivilityReport, SurveyAnswer
from satisfaction.services.incivility import incivility_report
from satisfaction.services.indicators import indicators_compute
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def snapshot_figures():
    return sorted(  # agency None (the network) sorts as -1
        (
            (kind, period, agency or -1, *rest)
            for kind, period, agency, *rest in GapSnapshot.objects.values_list(
                "period_kind",
                "period",
                "agency_id",
                "channel",
                "answers_n",
                "paired_n",
                "real_score",
                "gap",
            )
        )
    )


def test_erasure_removes_free_text_and_keeps_every_figure(helene, agent, bulk_answers):
    bulk_answers(
        customer=helene,
        agent=agent,
        at=paris(2026, 10, 6, 10),
        scores=[2, 4, 5],
        estimates=[4, 4, 4],
    )
    SurveyAnswer.objects.filter(invitation__customer=helene).update(
        comment="Hélène : le bus 37 passe en avance, je rate mon train"
    )
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
    exported = customer_export(customer=helene, user=agent.user)
    assert exported["enquêtes"][0]["comment"].startswith("Hélène : le bus 37")
    assert exported["incivilités"][0]["witnesses"] == "Karim Benali"

    indicators_compute()
    before = snapshot_figures()
    customers_anonymise(customer_ids=[helene.pk])
    indicators_compute()

    assert snapshot_figures() == before
    assert set(SurveyAnswer.objects.values_list("comment", flat=True)) == {"[effacé]"}
    report = IncivilityReport.objects.get()
    assert (report.description, report.witnesses) == ("[effacé]", "")
    assert Customer.objects.get(pk=helene.pk).first_name == "Anonyme"
