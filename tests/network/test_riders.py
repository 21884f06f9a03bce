"""The riders of a disrupted line: exactly those who declared, validated or named it,
the loyalty cycle's priority categories first, with their consent and open reconquest case;
warning them writes only to those who consent, never to the held-out group, and puts the
priority riders without written consent on a call list."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from relation_client.customers.consents import consent_current
from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundPurpose
from relation_client.network.contact import disruption_riders_warn
from relation_client.network.models import ContactChannel, ContactGroup, DisruptionContact
from relation_client.network.riders import disruption_riders, riders_detail

pytestmark = pytest.mark.django_db


def _names(customers) -> list[str]:
    return [customer.first_name for customer in customers]


def test_a_disruption_lists_exactly_its_riders_priority_first(c3_disruption, riders, make_case):
    make_case(riders["jerome"])
    listed = list(disruption_riders(disruption=c3_disruption))

    # declared, validated, named; not Bruno (T1), not Zoé (erased); seniors and reduced
    # mobility first (the cycle's "Traitement prioritaire"), then by segment priority
    assert _names(listed) == ["Aïcha", "Hélène", "Noël", "Jérôme"]

    detail = {
        r.customer.first_name: r for r in riders_detail(disruption=c3_disruption, customers=listed)
    }
    assert [r.priority for r in detail.values()] == [True, True, False, False]
    assert detail["Hélène"].links == [("C3", "Déclarée à l'abonnement", "Habituelle")]
    assert detail["Jérôme"].links == [("C3", "Validations", "Habituelle")]
    assert detail["Aïcha"].links == [("C3", "Citée lors d'un contact", "Occasionnelle")]
    assert (detail["Hélène"].email_consent, detail["Noël"].email_consent) == (True, False)
    assert detail["Jérôme"].sms_consent and detail["Jérôme"].phone == "+33798765432"
    # the open case, read through the core's extension point (the reconquest panel)
    assert detail["Jérôme"].reconquest is not None and detail["Hélène"].reconquest is None


def test_the_riders_page_takes_the_same_queries_for_more_riders(
    c3_disruption, riders, make_customer, network, login, agent, django_assert_max_num_queries
):
    from relation_client.network.riders import customer_lines_declare

    client = login(agent)
    url = reverse("network:disruption", args=[c3_disruption.pk])
    client.get(url)  # warm the session
    for number in range(30):
        customer = make_customer("Léa", f"Martin-{number}", emails=[f"lea{number}@exemple.fr"])
        customer_lines_declare(
            customer=customer, lines=[network["C3"]], on=c3_disruption.starts_at.date()
        )
    # session, user, agent, disruption + lines, count + page of riders, links, contact
    # points, consents, reconquest cases, contacts, call list, counts, the bar's counts
    with django_assert_max_num_queries(18):
        page = client.get(url)
    text = page.content.decode()
    assert "34 voyageurs touchés" in text
    assert text.index("Aïcha") < text.index("Hélène") < text.index("Noël")


def test_warning_writes_only_to_consenting_riders_and_lists_the_priority_calls(
    c3_disruption, riders, supervisor_lyon, settings, smtp_server
):
    settings.NETWORK_HELD_OUT_PERCENT = 0
    report = disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)

    assert (report.emails, report.sms, report.calls, report.unreachable) == (1, 1, 1, 1)
    messages = {
        m.customer.first_name: m for m in OutboundMessage.objects.select_related("customer")
    }
    assert set(messages) == {"Hélène", "Jérôme"}
    helene, jerome = messages["Hélène"], messages["Jérôme"]
    assert (helene.channel, helene.to_address) == ("email", "helene.dupont@exemple.fr")
    assert helene.purpose == OutboundPurpose.PROACTIVE
    assert helene.body_text.startswith("Bonjour Madame Dupont-Lefèvre,")
    assert "Prenez le T1 jusqu'à Part-Dieu Villette, puis le C13." in helene.body_text
    # Jérôme reads English: greeted in English, by SMS to his mobile
    assert (jerome.channel, jerome.to_address, jerome.language) == ("sms", "+33798765432", "en")
    contacts = {
        c.customer.first_name: c for c in DisruptionContact.objects.select_related("customer")
    }
    # Aïcha (reduced mobility, no written consent) is to be called; Noël withdrew: nothing
    assert contacts["Aïcha"].channel == ContactChannel.CALL
    assert contacts["Noël"].channel == ContactChannel.NONE

    # the mail leaves through the outbox; consent is read again at sending
    assert outbox.outbound_send(message_id=helene.pk, dispatch=helene.dispatch) == "sent"
    (mail,) = smtp_server.received
    assert mail.rcpt_tos == ["helene.dupont@exemple.fr"]

    # warning again reaches no one twice
    again = disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)
    assert (again.already, again.emails, again.sms) == (4, 0, 0)
    assert OutboundMessage.objects.count() == 2


def test_consent_withdrawn_after_the_warning_cancels_the_message(
    c3_disruption, riders, supervisor_lyon, settings
):
    from relation_client.customers.consents import consent_record

    settings.NETWORK_HELD_OUT_PERCENT = 0
    disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)
    consent_record(
        customer=riders["helene"],
        channel="email",
        purpose="travel_info",
        given=False,
        source="phone",
    )
    message = OutboundMessage.objects.get(customer=riders["helene"])
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "cancelled"
    message.refresh_from_db()
    assert "« Informations voyageurs (perturbations) »" in message.last_error


def test_offers_consent_alone_is_no_consent_to_be_warned(
    c3_disruption, riders, supervisor_lyon, settings
):
    """Aïcha accepts offers by e-mail and SMS, not travel information: nobody writes to her
    (she is on the call list, being a priority rider); the offers' consent withdrawn after
    the warning does not stop Hélène's, which asks for travel information."""
    from relation_client.customers.consents import consent_record

    (aicha,) = riders_detail(disruption=c3_disruption, customers=[riders["aicha"]])
    assert (aicha.email_consent, aicha.sms_consent, aicha.can_be_written_to) == (
        False,
        False,
        False,
    )
    settings.NETWORK_HELD_OUT_PERCENT = 0
    disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)
    assert not OutboundMessage.objects.filter(customer=riders["aicha"]).exists()
    contact = DisruptionContact.objects.get(customer=riders["aicha"])
    assert contact.channel == ContactChannel.CALL

    consent_record(
        customer=riders["helene"], channel="email", purpose="marketing", given=False, source="phone"
    )
    message = OutboundMessage.objects.get(customer=riders["helene"])
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "sent"


def test_the_warnings_unsubscribe_link_withdraws_travel_information_only(
    c3_disruption, riders, supervisor_lyon, settings, client
):
    settings.NETWORK_HELD_OUT_PERCENT = 0
    disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)
    message = OutboundMessage.objects.get(customer=riders["helene"])
    url = re.fullmatch(r"<(https?://[^>]+)>", message.headers["List-Unsubscribe"]).group(1)
    # written at the foot of the mail too; an SMS carries no link
    assert f"Pour ne plus recevoir ces alertes de perturbation : {url}" in message.body_text
    assert not OutboundMessage.objects.get(customer=riders["jerome"]).headers

    path = urlsplit(url).path
    page = client.get(path).content.decode()
    assert "nos alertes de perturbation sur vos lignes par e-mail" in page
    done = client.post(path, {}, follow=True).content.decode()
    assert "Vous ne recevrez plus nos alertes de perturbation sur vos lignes par e-mail." in done

    current = consent_current(customer=riders["helene"])
    withdrawn = current[("email", "travel_info")]
    assert (withdrawn.given, withdrawn.source) == (False, "unsubscribe_link")
    assert current[("email", "marketing")].given is True
    # the warning still waiting in the outbox is not sent
    assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "cancelled"


def test_the_held_out_group_is_never_contacted_and_the_split_is_recorded(
    c3_disruption, riders, supervisor_lyon, settings
):
    settings.NETWORK_HELD_OUT_PERCENT = 100
    report = disruption_riders_warn(disruption=c3_disruption, by=supervisor_lyon)

    assert (report.held_out, report.contacted) == (4, 0)
    assert not OutboundMessage.objects.exists()
    assert set(DisruptionContact.objects.values_list("group", "channel")) == {
        (ContactGroup.HELD_OUT, "")
    }


def test_the_split_is_random_yet_stable(c3_disruption, riders, supervisor_lyon, settings):
    from relation_client.network.contact import held_out

    draws = [held_out(disruption_id=1, customer_id=pk, percent=10) for pk in range(1, 2001)]
    # about a tenth, drawn at random: 200 expected, far outside 140–260 only by a bug
    assert 140 <= sum(draws) <= 260
    assert draws == [held_out(disruption_id=1, customer_id=pk, percent=10) for pk in range(1, 2001)]


def test_agents_see_riders_but_only_supervisors_warn(c3_disruption, riders, login, agent):
    client = login(agent)
    page = client.get(reverse("network:disruption", args=[c3_disruption.pk])).content.decode()
    assert "Aïcha" in page and "Prévenir les voyageurs</button>" not in page
    answer = client.post(reverse("network:disruption_warn", args=[c3_disruption.pk]))
    assert answer.status_code == 403
    assert not DisruptionContact.objects.exists()
