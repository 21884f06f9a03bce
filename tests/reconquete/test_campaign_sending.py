"""A campaign really sends: at its launch, one personal e-mail per customer who accepted
offers by e-mail (one SMS per customer who accepted them by SMS), through the outbox, to
a real SMTP server; each mail carries its unsubscribe link and the RFC 8058 headers. The
link's page changes nothing when opened; its button, or a mail client's one-click POST,
withdraws the consent, once."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reconquete.models import CampaignTarget
from reconquete.services import CampaignData, campaign_close, campaign_create, campaign_launch
from relation_client.customers.consents import consent_current, consent_record
from relation_client.customers.models import Consent
from relation_client.customers.services.merges import customer_merge
from relation_client.messaging import outbox
from relation_client.messaging.models import Mailbox, OutboundMessage, OutboundStatus
from relation_client.messaging.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

PUBLIC = "https://relation.tcl-exemple.fr"
OFFER_FR = "Un mois offert sur l'abonnement Tout Lyon, à retirer en agence avant le 31 décembre."
OFFER_EN = "One free month on the Tout Lyon pass, to collect at an agency before 31 December."


@pytest.fixture(autouse=True)
def public_site(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


def consent(customer, channel, given, *, purpose="marketing"):
    consent_record(
        customer=customer,
        channel=channel,
        purpose=purpose,
        given=given,
        source="counter",
        at=timezone.now() - datetime.timedelta(days=30),
    )


@pytest.fixture
def lost(make_customer, make_case, agent):
    """Lost customers of Lyon in every situation for an e-mail and SMS campaign."""
    people = {
        "Hélène": make_customer(
            "Hélène",
            "Dupont-Lefèvre",
            civility="mme",
            emails=["helene.dupont@exemple.fr"],
            phones=["06 12 34 56 78"],
            usual_contact=agent,
        ),
        "Emily": make_customer(
            "Emily", "Clarke", civility="mme", emails=["emily@exemple.uk"], preferred_language="en"
        ),
        "Jérôme": make_customer("Jérôme", "Gaël-Noël", emails=["jerome@exemple.fr"]),
        "Zoé": make_customer("Zoé", "Lacroix", emails=["zoe@exemple.fr"]),
        "Noël": make_customer("Noël", "Chevalier", phones=["04 78 00 00 01"]),
        "Inès": make_customer(
            "Inès", "Da Silva", civility="mme", phones=["04 78 11 11 11", "06 11 11 11 11"]
        ),
    }
    consent(people["Hélène"], "email", True)
    consent(people["Hélène"], "email", True, purpose="surveys")
    consent(people["Emily"], "email", True)
    consent(people["Jérôme"], "email", False)  # refused: nothing
    # Zoé was never asked: nothing
    consent(people["Noël"], "email", True)  # agreed, but no address: nothing
    consent(people["Inès"], "sms", True)
    for person in people.values():
        make_case(person)
    return people


@pytest.fixture
def launch(lost, manager_lyon, agency_lyon):
    def launch(**fields):
        values = {
            "name": "Reprenez le tram ! (automne)",
            "offer_type": "free_month",
            "offer_text": OFFER_FR,
            "offer_text_en": OFFER_EN,
            "channels": ["email", "sms"],
            "starts_on": timezone.localdate() - datetime.timedelta(days=1),
            "ends_on": timezone.localdate() + datetime.timedelta(days=60),
            "agencies": [agency_lyon],
            "segments": [],
            "reasons": [],
            **fields,
        }
        campaign = campaign_create(by=manager_lyon, data=CampaignData(**values))
        return campaign, campaign_launch(campaign=campaign, by=manager_lyon)

    return launch


def send_emails() -> None:
    """What the workers do with the tasks the sweep queues."""
    for message in OutboundMessage.objects.filter(channel="email", status="pending"):
        outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch)


@pytest.fixture
def sent(launch, smtp_server):
    """The campaign launched and its e-mails sent: {first name: message received}."""
    launch()
    send_emails()
    names = {"helene.dupont@exemple.fr": "Hélène", "emily@exemple.uk": "Emily"}
    return {names[item.rcpt_tos[0]]: item for item in smtp_server.received}


def unsubscribe_path(received) -> str:
    header = received["List-Unsubscribe"].strip()  # folded: the link is a long word
    url = re.fullmatch(r"<(https://[^>]+)>", header).group(1)
    assert url in received.text  # the same link, written at the foot of the mail
    return urlsplit(url).path


def marketing_email(customer):
    return consent_current(customer=customer)[("email", "marketing")]


# ---- the campaign's messages ---------------------------------------------------------


def test_only_customers_who_accepted_offers_by_email_receive_one(lost, launch, smtp_server):
    _campaign, report = launch()
    assert (report.emails, report.sms) == (2, 1)
    send_emails()
    assert sorted(item.rcpt_tos[0] for item in smtp_server.received) == [
        "emily@exemple.uk",
        "helene.dupont@exemple.fr",
    ]
    # and the rows say what they are, for the outbox's consent check at sending time
    for message in OutboundMessage.objects.filter(channel="email"):
        target = CampaignTarget.objects.get(customer=message.customer)
        assert (message.purpose, message.origin) == ("campaign", f"reconquete.target:{target.pk}")
        assert message.status == OutboundStatus.SENT


def test_each_mail_greets_by_name_in_their_language_signed_by_their_agent(sent):
    helene = sent["Hélène"].text.splitlines()
    assert helene[0] == "Bonjour Madame Dupont-Lefèvre,"
    assert OFFER_FR in sent["Hélène"].text
    assert "Camille Rousseau" in helene  # her usual contact signs
    assert sent["Hélène"]["Subject"] == "Un mois offert pour reprendre nos lignes"

    emily = sent["Emily"].text
    assert emily.splitlines()[0] == "Hello Ms Clarke,"
    assert OFFER_EN in emily and OFFER_FR not in emily
    assert "Kind regards," in emily and "To stop receiving them:" in emily
    assert sent["Emily"]["Subject"] == "A free month to get back on board"


def test_a_mail_comes_from_the_agencys_mailbox_so_that_replies_are_filed(
    lost, launch, smtp_server, agency_lyon
):
    Mailbox.objects.create(
        name="Agence Part-Dieu", address="partdieu@tcl-exemple.fr", agency=agency_lyon
    )
    launch()
    send_emails()
    [helene] = [r for r in smtp_server.received if r.rcpt_tos == ["helene.dupont@exemple.fr"]]
    assert helene["From"] == "Camille Rousseau – Lyon Part-Dieu <partdieu@tcl-exemple.fr>"
    assert helene.mail_from == "partdieu@tcl-exemple.fr"


def test_each_mail_carries_its_unsubscribe_link_and_nothing_that_tracks(sent):
    for received in sent.values():
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        path = unsubscribe_path(received)
        assert path.startswith("/desinscription/")
        # the one link of the mail: no pixel (plain text only), no redirected link
        assert received.text.count("http") == 1
        assert received.message.get_content_type() == "text/plain"
    assert unsubscribe_path(sent["Hélène"]) != unsubscribe_path(sent["Emily"])


def test_the_english_text_is_optional_french_then(lost, launch, smtp_server):
    launch(offer_text_en="")
    send_emails()
    [emily] = [item for item in smtp_server.received if item.rcpt_tos == ["emily@exemple.uk"]]
    assert emily.text.splitlines()[0] == "Bonjour Madame Clarke,"
    assert OFFER_FR in emily.text


def test_an_sms_customer_gets_an_sms_queued_on_their_mobile(lost, launch):
    launch()
    [sms] = OutboundMessage.objects.filter(channel="sms")
    assert (sms.to_address, sms.customer, sms.purpose) == ("+33611111111", lost["Inès"], "campaign")
    assert sms.status == OutboundStatus.PENDING  # the SMS gateway sends it
    assert sms.body_text.startswith("Bonjour Madame Da Silva, " + OFFER_FR)
    assert f"{PUBLIC}/desinscription/{lost['Inès'].pk}.sms.marketing." in sms.body_text
    assert "\n" not in sms.body_text


def test_launched_ahead_of_its_first_day_it_waits_for_it(lost, launch):
    start = timezone.localdate() + datetime.timedelta(days=3)
    launch(starts_on=start)
    assert outbox.outbox_sweep() == 0
    first_day = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    assert {m.next_attempt_at for m in OutboundMessage.objects.all()} == {first_day}


def test_closing_the_campaign_cancels_what_has_not_left(lost, launch, manager_lyon):
    campaign, _report = launch(starts_on=timezone.localdate() + datetime.timedelta(days=3))
    campaign_close(campaign=campaign, by=manager_lyon)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"cancelled"}
    assert outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(days=4)) == 0


def test_the_campaign_page_counts_its_messages(lost, launch, login, manager_lyon, smtp_server):
    campaign, _report = launch()
    send_emails()
    page = login(manager_lyon).get(reverse("reconquete:campaign_detail", args=[campaign.pk]))
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Messages de la campagne" in text
    assert "E-mail</strong> : 2 envoyé(s), 0 à envoyer" in text
    assert "SMS</strong> : 0 envoyé(s), 1 à envoyer" in text


def test_queueing_is_set_based(make_customer, make_case, manager_lyon, agency_lyon, agent):
    """As many statements for forty targets as for four: tens of thousands in one launch."""

    def launch_for(count: int, tag: str) -> int:
        for n in range(count):
            customer = make_customer(
                f"Léa{tag}{n}", "Boucher", emails=[f"lea.{tag}.{n}@exemple.fr"], usual_contact=agent
            )
            consent(customer, "email", True)
            make_case(customer)
        data = CampaignData(
            name=f"Campagne {tag}",
            offer_type="discount",
            offer_text="Moins 20 % sur trois mois.",
            channels=["email"],
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            agencies=[agency_lyon],
            segments=[],
            reasons=[],
        )
        campaign = campaign_create(by=manager_lyon, data=data)
        with CaptureQueriesContext(connection) as queries:
            report = campaign_launch(campaign=campaign, by=manager_lyon)
        assert report.emails == count
        return len(queries)

    assert launch_for(4, "a") == launch_for(40, "b")
    assert OutboundMessage.objects.count() == 44


# ---- the unsubscribe link ----------------------------------------------------------------


def test_opening_the_link_changes_nothing(sent, lost, client):
    before = Consent.objects.count()
    page = client.get(unsubscribe_path(sent["Hélène"]))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert "Ne plus recevoir nos offres par e-mail" in page.content.decode()
    assert "Me désinscrire" in page.content.decode()
    assert Consent.objects.count() == before
    assert marketing_email(lost["Hélène"]).given is True


def test_the_button_withdraws_the_consent_once(sent, lost):
    browser = Client(enforce_csrf_checks=True)
    path = unsubscribe_path(sent["Hélène"])
    page = browser.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    done = browser.post(path, {"csrfmiddlewaretoken": token.group(1)}, follow=True)
    assert done.status_code == 200
    assert "C'est fait : vous êtes désinscrit·e" in done.content.decode()
    withdrawal = marketing_email(lost["Hélène"])
    assert (withdrawal.given, withdrawal.source) == (False, "unsubscribe_link")
    # pressed again: nothing more
    browser.post(path, {"csrfmiddlewaretoken": token.group(1)})
    assert Consent.objects.filter(source="unsubscribe_link").count() == 1
    # only what the link names: her surveys by e-mail are untouched
    current = consent_current(customer=lost["Hélène"])
    assert current[("email", "surveys")].given is True


def test_the_button_needs_the_forms_csrf_token(sent, lost):
    refused = Client(enforce_csrf_checks=True).post(unsubscribe_path(sent["Hélène"]), {})
    assert refused.status_code == 403
    assert marketing_email(lost["Hélène"]).given is True


def test_a_mail_clients_one_click_post_needs_no_csrf_token(sent, lost):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no cookie."""
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(sent["Emily"]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    withdrawal = marketing_email(lost["Emily"])
    assert (withdrawal.given, withdrawal.source) == (False, "unsubscribe_link")
    # her page says so afterwards, in English
    page = Client().get(unsubscribe_path(sent["Emily"]))
    assert "Done: you are unsubscribed" in page.content.decode()
    assert "You will no longer receive our offers by e-mail." in page.content.decode()


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        lambda token: "999999" + token[token.index(".") :],  # another customer's number
        lambda token: token.replace(".marketing.", ".surveys."),  # another purpose
        lambda token: "n-importe-quoi",
    ],
)
def test_a_forged_link_is_a_clear_404_and_changes_nothing(sent, lost, forge):
    path = unsubscribe_path(sent["Hélène"])
    token = path.split("/")[2]
    forged = f"/desinscription/{forge(token)}/"
    page = Client().get(forged)
    assert page.status_code == 404
    assert "Lien de désinscription introuvable" in page.content.decode()
    posted = Client(enforce_csrf_checks=True).post(
        forged, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert posted.status_code == 404
    assert not Consent.objects.filter(source="unsubscribe_link").exists()


def test_a_link_still_works_after_the_record_was_merged(make_customer, supervisor_lyon, client):
    absorbed = make_customer("Hélène", "Dupont", emails=["h.dupont@exemple.fr"])
    survivor = make_customer("Hélène", "Dupont-Lefèvre", emails=["helene.dupont@exemple.fr"])
    consent(survivor, "email", True)
    token = unsubscribe_token(customer_id=absorbed.pk, channel="email", purpose="marketing")
    customer_merge(survivor=survivor, absorbed=absorbed, by=supervisor_lyon)
    response = client.post(
        f"/desinscription/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert marketing_email(survivor).given is False
