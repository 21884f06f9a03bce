"""The consent panel of the customer page: the current state per purpose and channel (with
source and date), a form to record what the customer says, and the history. Decisions are
appended, never overwritten, audited, and campaigns then read the latest one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.customers.consents import consent_record, consent_split
from relation_client.customers.models import Consent
from relation_client.privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(customer) -> str:
    return reverse("customers:consent_change", args=[customer.pk])


def decision(**fields) -> dict:
    values = {"purpose": "marketing", "channel": "sms", "decision": "retire", "source": "phone"}
    values.update(fields)
    return {f"consentement-{name}": value for name, value in values.items()}


@pytest.fixture
def sms_given(helene, agent):
    return consent_record(
        customer=helene,
        channel="sms",
        purpose="marketing",
        given=True,
        source="counter",
        by=agent,
        at=timezone.make_aware(datetime.datetime(2026, 3, 14, 10, 30)),
    )


def test_the_panel_shows_the_state_with_source_and_date(agent_client, helene, sms_given):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    panel = page[page.index('id="consentements"') :]
    assert "Offres et reconquête" in panel and "Enquêtes de satisfaction" in panel
    sms_row = panel[panel.index("SMS") : panel.index("</tr>", panel.index("SMS"))]
    assert "accordé" in sms_row and "Au guichet" in sms_row and "14/03/2026" in sms_row
    assert "non renseigné" in panel  # the other channels
    # the history names who recorded it
    assert "Camille Rousseau" in panel[panel.index("Historique des décisions") :]


def test_the_form_is_labelled_and_in_french(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    for name in ("purpose", "channel", "source"):
        assert f'<label for="id_consentement-{name}"' in page
        assert f'id="id_consentement-{name}"' in page
    assert "<legend" in page and "Décision du client" in page
    assert 'for="id_consentement-decision_0"' in page
    assert "Enregistrer la décision" in page


def test_a_withdrawal_is_appended_audited_and_respected_by_campaigns(
    agent_client, helene, sms_given, agent
):
    assert consent_split(customer_ids=[helene.pk], channel="sms", purpose="marketing")[0] == {
        helene.pk
    }

    response = agent_client.post(url(helene), decision(), **HTMX)

    assert response.status_code == 200
    rows = list(Consent.objects.filter(customer=helene).order_by("recorded_at", "id"))
    assert [(c.given, c.source) for c in rows] == [(True, "counter"), (False, "phone")]
    assert rows[0].pk == sms_given.pk and rows[0].given  # the first decision is kept
    assert rows[1].recorded_by == agent
    panel = response.content.decode()
    assert panel.lstrip().startswith('<section id="consentements"')
    assert "Consentement enregistré" in panel
    sms_row = panel[panel.index("SMS") : panel.index("</tr>", panel.index("SMS"))]
    assert "retiré" in sms_row and "Au téléphone" in sms_row
    history = panel[panel.index("Historique des décisions") :]
    assert history.count('<li class="mb-1">') == 2
    event = AuditEvent.objects.get(action=AuditAction.CHANGE, customer_id=helene.pk)
    assert event.actor == agent.user
    assert "retiré" in event.detail_text and "sms" in event.detail_text.lower()
    # the campaigns' targeting reads the latest decision
    allowed, refused = consent_split(customer_ids=[helene.pk], channel="sms", purpose="marketing")
    assert (allowed, refused) == (set(), {helene.pk})


def test_without_htmx_the_page_comes_back_with_a_message(agent_client, helene):
    response = agent_client.post(url(helene), decision(decision="accorde", channel="email"))
    assert response.status_code == 302
    assert response["Location"] == helene.get_absolute_url()
    consent = Consent.objects.get(customer=helene)
    assert (consent.channel, consent.given) == ("email", True)
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert "Consentement enregistré" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"channel": "pigeon"}, "Choisissez un canal de la liste."),
        ({"purpose": "revente"}, "Choisissez une finalité de la liste."),
        ({"source": "rumeur"}, "Choisissez comment la décision a été recueillie."),
        ({"decision": ""}, "Dites si le client accorde ou retire son consentement."),
    ],
)
def test_a_bad_value_is_refused_in_french_and_nothing_is_saved(
    agent_client, helene, sms_given, changes, message
):
    response = agent_client.post(url(helene), decision(**changes), **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode() or "decision" in changes
    assert Consent.objects.filter(customer=helene).count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGE).exists()


def test_a_bad_value_without_htmx_shows_the_customer_page_with_the_error(agent_client, helene):
    response = agent_client.post(url(helene), decision(channel="pigeon"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choisissez un canal de la liste." in page and "Historique, tous canaux" in page
    assert not Consent.objects.exists()


@pytest.mark.parametrize("decisions", [1, 40])
def test_the_page_queries_do_not_grow_with_the_consent_history(
    agent_client, helene, agent, decisions, django_assert_num_queries
):
    start = timezone.now() - datetime.timedelta(days=decisions)
    for index in range(decisions):
        consent_record(
            customer=helene,
            channel=["sms", "email", "phone"][index % 3],
            purpose="marketing",
            given=index % 2 == 0,
            source="counter",
            by=agent,
            at=start + datetime.timedelta(days=index),
        )
    # the customer page's queries, its panels and the consents' one included (see
    # test_customer_page)
    with django_assert_num_queries(16):
        response = agent_client.get(helene.get_absolute_url())
    history = response.context["consent_history"]
    assert len(history) == min(decisions, 20)
    assert response.context["consent_more"] == (decisions > 20)
    # the current state is right even for a pair whose latest decision is off the list
    table = {row["purpose"]: row["channels"] for row in response.context["consent_table"]}
    current = {cell["label"]: cell["consent"] for cell in table["Offres et reconquête"]}
    assert current["SMS"] is not None


def test_an_old_decision_still_shows_as_current_beyond_the_history(agent_client, helene, agent):
    start = timezone.now() - datetime.timedelta(days=60)
    consent_record(customer=helene, channel="post", purpose="surveys", given=True,
                   source="web", at=start)  # fmt: skip
    for index in range(25):
        consent_record(
            customer=helene,
            channel="sms",
            purpose="marketing",
            given=True,
            source="app",
            by=agent,
            at=start + datetime.timedelta(days=index + 1),
        )
    response = agent_client.get(helene.get_absolute_url())
    table = {row["purpose"]: row["channels"] for row in response.context["consent_table"]}
    post = {cell["label"]: cell["consent"] for cell in table["Enquêtes de satisfaction"]}
    assert post["Courrier"].source == "web"
    assert "Seules les 20 dernières décisions" in response.content.decode()


def test_the_dpo_records_a_withdrawal_too(client, make_staff, agency_lyon, helene):
    dpo = make_staff("dpo", "Bertrand Lefort", roles.DPO, agency_lyon)
    client.force_login(dpo.user)
    response = client.post(url(helene), decision(source="customer_request"), **HTMX)
    assert response.status_code == 200
    assert Consent.objects.get(customer=helene).recorded_by == dpo


def test_must_not_get_in(client, helene, django_user_model):
    response = client.post(url(helene), decision())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    outsider = django_user_model.objects.create_user("prestataire", password="x-Très-long-42")
    client.force_login(outsider)
    assert client.post(url(helene), decision()).status_code == 403
    assert not Consent.objects.exists()


def test_reading_is_not_allowed_on_the_action(agent_client, helene):
    assert agent_client.get(url(helene)).status_code == 405


def test_an_unknown_customer_is_a_404(agent_client):
    assert (
        agent_client.post(
            reverse("customers:consent_change", args=[999999]), decision()
        ).status_code
        == 404
    )


def test_travel_information_is_a_purpose_of_its_own(agent_client, helene, sms_given):
    """Disruption warnings ask for « Informations voyageurs (perturbations) »: the form
    offers it, recording it leaves the offers' decision as it was, the panel shows both."""
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert '<option value="travel_info">Informations voyageurs (perturbations)</option>' in page

    response = agent_client.post(
        url(helene), decision(purpose="travel_info", decision="accorde", source="counter"), **HTMX
    )

    assert response.status_code == 200
    latest = Consent.objects.filter(customer=helene).latest("recorded_at", "id")
    assert (latest.purpose, latest.channel, latest.given) == ("travel_info", "sms", True)
    assert consent_split(customer_ids=[helene.pk], channel="sms", purpose="marketing")[0] == {
        helene.pk
    }
    panel = response.content.decode()
    table = panel[panel.index(">Informations voyageurs (perturbations)</caption>") :]
    table = table[: table.index("</table>")]
    sms_row = table[table.index("SMS") : table.index("</tr>", table.index("SMS"))]
    assert "accordé" in sms_row and "Au guichet" in sms_row
