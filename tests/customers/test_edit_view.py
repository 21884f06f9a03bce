"""« Modifier la fiche »: editing a customer after creation, from the customer page."""

import datetime
import json

import pytest
from django.urls import reverse

from relation_client.customers.forms import CustomerEditForm
from relation_client.customers.models import Customer, Segment
from relation_client.customers.services import customer_update
from relation_client.privacy.models import AuditAction, AuditEvent
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def edit_url(customer) -> str:
    return reverse("customers:edit", args=[customer.pk])


def shown_form(client, customer) -> dict:
    """What the edit page sends back when the agent changes nothing: its initial values."""
    page = client.get(edit_url(customer))
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or name == "confirm_duplicate":
            continue
        data[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return data


def change_rows(customer) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(customer_id=customer.pk, action=AuditAction.CHANGE))


def test_the_customer_page_links_to_the_edit_page(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert f'href="{edit_url(helene)}"' in page
    assert "Modifier la fiche" in page
    # merging is a supervisor's: an agent is not offered the link
    assert "Fusionner avec une autre fiche" not in page


def test_the_form_shows_the_record_as_it_is(agent_client, helene):
    data = shown_form(agent_client, helene)
    assert data["first_name"] == "Hélène" and data["civility"] == "mme"
    assert data["phones"] == "06 12 34 56 78"
    assert data["emails"] == "helene.dupont@exemple.fr"
    assert data["birth_date"] == "1968-04-12"
    page = agent_client.get(edit_url(helene)).content.decode()
    assert 'value="1968-04-12"' in page  # what <input type="date"> reads


def test_an_agent_changes_names_contacts_contact_segment_and_needs(
    agent_client, helene, agent_villeurbanne
):
    segment = Segment.objects.exclude(pk=helene.segment_id).first()
    data = shown_form(agent_client, helene)
    data.update(
        preferred_name="Madame Hélène",
        last_name="Dupont",
        phones="06 12 34 56 78, 0692 12 34 56",  # La Réunion
        emails="h.dupont@exemple.fr",
        usual_contact=str(agent_villeurbanne.pk),  # another agency's agent
        segment=str(segment.pk),
        needs="Préfère être appelée le matin.",
    )
    response = agent_client.post(edit_url(helene), data, follow=True)
    assert response.redirect_chain[-1][0] == helene.get_absolute_url()
    helene.refresh_from_db()
    assert helene.last_name == "Dupont" and helene.salutation == "Madame Hélène"
    assert sorted(helene.contact_points.values_list("value", flat=True)) == [
        "+262692123456",
        "+33612345678",
        "h.dupont@exemple.fr",
    ]
    assert helene.usual_contact == agent_villeurbanne and helene.segment == segment
    assert helene.needs == "Préfère être appelée le matin."
    page = response.content.decode()
    assert "Fiche de Madame Hélène mise à jour :" in page
    assert "0692 12 34 56" in page


def test_the_change_leaves_one_audit_row_with_before_and_after(agent_client, agent, helene):
    data = shown_form(agent_client, helene)
    data.update(phones="", needs="")
    agent_client.post(edit_url(helene), data)
    (row,) = change_rows(helene)
    assert row.actor == agent.user and row.channel == "page"
    assert row.changes["phones"] == {"old": ["+33612345678"], "new": []}
    assert row.changes["needs"]["old"] == "Malvoyante : préfère les courriers en gros caractères."
    assert set(row.changes) == {"phones", "needs"}
    # saving again without a change writes no row
    agent_client.post(edit_url(helene), shown_form(agent_client, helene))
    assert len(change_rows(helene)) == 1


def test_a_phone_of_another_customer_is_a_duplicate_warning(client, supervisor_lyon, make_customer):
    helene = make_customer(phones=["06 12 34 56 78"])
    twin = make_customer("Hélène", "Dupont", phones=["04 78 12 34 56"])
    client.force_login(supervisor_lyon.user)
    data = shown_form(client, twin)
    data.update(phones="06 12 34 56 78")
    response = client.post(edit_url(twin), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Ces coordonnées ou cette identité figurent déjà sur une autre fiche" in page
    assert f'href="{helene.get_absolute_url()}"' in page
    merge = f"{reverse('customers:merge')}?survivor={twin.pk}&amp;absorbed={helene.pk}"
    assert f'href="{merge}"' in page and "Fusionner avec la fiche de" in page
    assert list(twin.contact_points.values_list("value", flat=True)) == ["+33478123456"]
    assert change_rows(twin) == []
    # a different person after all: confirmed, saved
    data.update(confirm_duplicate="on")
    assert client.post(edit_url(twin), data).status_code == 302
    assert twin.contact_points.get().value == "+33612345678"
    assert len(change_rows(twin)) == 1


def test_an_agent_is_told_to_ask_a_supervisor_to_merge(agent_client, helene, make_customer):
    other = make_customer("Chloé", "Béranger")
    data = shown_form(agent_client, other)
    data.update(emails="Helene.Dupont@exemple.fr")
    page = agent_client.post(edit_url(other), data).content.decode()
    assert "Une fusion de fiches se demande à un superviseur." in page
    assert reverse("customers:merge") not in page


def test_a_number_the_record_already_shares_is_not_asked_again(agent_client, make_customer):
    """A household's landline on two records was accepted once: editing the needs of one
    does not raise it again."""
    landline = "04 78 00 11 22"
    make_customer("Jean", "Crémieux", phones=[landline])
    marie = make_customer("Marie", "Crémieux", phones=[landline])
    data = shown_form(agent_client, marie)
    data.update(needs="Fauteuil roulant.")
    assert agent_client.post(edit_url(marie), data).status_code == 302


def test_an_erased_record_is_read_only(agent_client, erased_customer):
    page = agent_client.get(edit_url(erased_customer))
    assert page.status_code == 200
    assert "lecture seule" in page.content.decode() and "form" not in page.context
    response = agent_client.post(
        edit_url(erased_customer),
        {"first_name": "Zoé", "last_name": "Besançon", "preferred_language": "fr"},
    )
    assert response.status_code == 409
    erased_customer.refresh_from_db()
    assert erased_customer.first_name == "Anonyme"
    detail = agent_client.get(erased_customer.get_absolute_url()).content.decode()
    assert edit_url(erased_customer) not in detail
    # the service refuses too, so the API cannot bring the person back either
    with pytest.raises(DomainError) as refused:
        customer_update(customer=erased_customer, changes={"first_name": "Zoé"})
    assert refused.value.code == "customer_erased"


def test_any_agency_edits_the_network_customers_and_the_dpo_reads_only(
    client, helene, agent_villeurbanne, dpo
):
    """As for creating them and logging exchanges: customers are the network's."""
    client.force_login(agent_villeurbanne.user)
    data = shown_form(client, helene)
    data.update(needs="Vu à Villeurbanne.")
    assert client.post(edit_url(helene), data).status_code == 302
    client.force_login(dpo.user)
    assert client.get(edit_url(helene)).status_code == 403
    assert client.post(edit_url(helene), data).status_code == 403
    helene.refresh_from_db()
    assert helene.needs == "Vu à Villeurbanne."


def test_a_colliding_edit_saves_nothing_and_shows_what_changed(agent_client, helene, agent):
    data = shown_form(agent_client, helene)
    # a colleague saves meanwhile (through the API's service)
    customer_update(customer=helene, changes={"needs": "Appeler après 18 h."})
    data.update(phones="06 98 76 54 32")
    response = agent_client.post(edit_url(helene), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "modifiée par quelqu&#x27;un d&#x27;autre pendant que vous la modifiiez" in page
    assert "Mis à jour entre-temps : « Appeler après 18 h. »" in page
    helene.refresh_from_db()
    assert helene.contact_points.get(kind="phone").value == "+33612345678"  # nothing written
    assert change_rows(helene) == []
    # the form came back with the colleague's needs and the agent's phone: saving it
    # again keeps both
    again = response.context["form"].data
    assert again["needs"] == "Appeler après 18 h." and again["phones"] == "06 98 76 54 32"
    assert agent_client.post(edit_url(helene), again).status_code == 302
    helene.refresh_from_db()
    assert helene.needs == "Appeler après 18 h."
    assert helene.contact_points.get(kind="phone").value == "+33698765432"


def test_a_field_both_changed_keeps_the_agents_input_and_says_so(agent_client, helene):
    data = shown_form(agent_client, helene)
    customer_update(customer=helene, changes={"needs": "Appeler après 18 h."})
    data.update(needs="Appeler avant midi.")
    response = agent_client.post(edit_url(helene), data)
    page = response.content.decode()
    assert "Enregistré entre-temps : « Appeler après 18 h. ». Votre saisie est gardée ici." in page
    assert response.context["form"].data["needs"] == "Appeler avant midi."
    assert json.loads(response.context["form"].data["seen"])["needs"] == "Appeler après 18 h."


def test_the_edit_page_reads_in_bounded_queries(
    agent_client, helene, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        agent_client.get(edit_url(helene))


def test_the_form_keeps_a_usual_contact_who_left(helene, agent):
    agent.user.is_active = False
    agent.user.save()
    form = CustomerEditForm(initial=CustomerEditForm.initial_for(helene), customer=helene)
    assert agent in form.fields["usual_contact"].queryset
    assert not Customer.objects.filter(usual_contact__user__is_active=True).exists()
