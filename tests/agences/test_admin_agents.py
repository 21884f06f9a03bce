"""The agents' admin through its real pages: a manager sees and edits their own agency's
people only, moves no one, hands out no role above their own; administrators move staff;
every change of agency or role lands in the staff audit."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import DatabaseError, transaction
from django.urls import reverse

from agences import roles
from agences.accounts import role_names
from agences.models import StaffChange, StaffChangeField

pytestmark = pytest.mark.django_db


def _staff(agent):
    agent.user.is_staff = True
    agent.user.save(update_fields=["is_staff"])
    return agent


@pytest.fixture
def francois(manager_lyon):
    return _staff(manager_lyon)


@pytest.fixture
def administrator(make_staff, agency_lyon):
    return _staff(make_staff("alice", "Alice Martin", roles.ADMINISTRATOR, agency_lyon))


def _change_url(agent):
    return reverse("admin:agences_agent_change", args=[agent.pk])


def _form(agent, **changes):
    data = {
        "display_name": agent.display_name,
        "phone_extension": agent.phone_extension,
        "languages": ",".join(agent.languages),
        "roles": role_names(user=agent.user),
        "agency": agent.agency_id,
        "user": agent.user_id,
        "_save": "Enregistrer",
    }
    data.update(changes)
    return data


def test_manager_lists_only_their_agency_agents(login, francois, agent, agent_villeurbanne):
    page = login(francois).get(reverse("admin:agences_agent_changelist")).content.decode()
    assert "Camille Rousseau" in page
    assert "Théo Marchand" not in page


def test_manager_cannot_open_or_edit_another_agency_agent(login, francois, agent_villeurbanne):
    client = login(francois)
    response = client.get(_change_url(agent_villeurbanne))
    assert response.status_code == 302  # "does not exist", back to the admin index
    client.post(_change_url(agent_villeurbanne), _form(agent_villeurbanne, display_name="Piraté"))
    agent_villeurbanne.refresh_from_db()
    assert agent_villeurbanne.display_name == "Théo Marchand"


def test_manager_cannot_open_another_agency(login, francois, agency_villeurbanne):
    response = login(francois).get(
        reverse("admin:agences_agency_change", args=[agency_villeurbanne.pk])
    )
    assert response.status_code == 302


def test_manager_cannot_move_themself_to_another_agency(
    login, francois, agency_villeurbanne, agency_lyon
):
    client = login(francois)
    page = client.get(_change_url(francois)).content.decode()
    assert 'name="agency"' not in page  # shown, not editable
    response = client.post(_change_url(francois), _form(francois, agency=agency_villeurbanne.pk))
    assert response.status_code == 302
    francois.refresh_from_db()
    assert francois.agency == agency_lyon
    assert not StaffChange.objects.filter(field=StaffChangeField.AGENCY).exists()


def test_manager_cannot_move_an_agent_of_their_agency(login, francois, agent, agency_villeurbanne):
    login(francois).post(_change_url(agent), _form(agent, agency=agency_villeurbanne.pk))
    agent.refresh_from_db()
    assert agent.agency.name == "Lyon Part-Dieu"


def test_manager_cannot_give_a_role_above_their_own(login, francois, agent):
    response = login(francois).post(
        _change_url(agent), _form(agent, roles=[roles.AGENT, roles.ADMINISTRATOR])
    )
    assert response.status_code == 200  # the form comes back with its error
    assert role_names(user=agent.user) == [roles.AGENT]
    assert not StaffChange.objects.exists()


def test_manager_cannot_take_a_director_role_away(login, francois, director):
    login(francois).post(_change_url(director), _form(director, roles=[roles.AGENT]))
    assert role_names(user=director.user) == [roles.NETWORK_DIRECTOR]


def test_manager_promotes_an_agent_to_supervisor_and_it_is_audited(login, francois, agent):
    response = login(francois).post(_change_url(agent), _form(agent, roles=[roles.SUPERVISOR]))
    assert response.status_code == 302
    assert role_names(user=agent.user) == [roles.SUPERVISOR]
    change = StaffChange.objects.get()
    assert (change.actor, change.agent, change.field) == (francois.user, agent, "role")
    assert (change.old, change.new) == (roles.AGENT, roles.SUPERVISOR)


def test_administrator_moves_an_agent_and_it_is_audited(
    login, administrator, agent, agency_villeurbanne
):
    response = login(administrator).post(
        _change_url(agent), _form(agent, agency=agency_villeurbanne.pk)
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.agency == agency_villeurbanne
    change = StaffChange.objects.get(field=StaffChangeField.AGENCY)
    assert (change.old, change.new) == ("Lyon Part-Dieu", "Villeurbanne Gratte-Ciel")
    assert change.actor == administrator.user
    assert LogEntry.objects.filter(object_id=str(agent.pk), user=administrator.user).exists()


def test_role_changes_in_the_user_admin_are_audited(login, administrator, agent):
    user = agent.user
    supervisor_group = user.groups.model.objects.get(name=roles.SUPERVISOR)
    page = login(administrator).post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": "",
            "is_active": "on",
            "groups": [supervisor_group.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "01/01/2025",
            "date_joined_1": "08:00:00",
            "_save": "Enregistrer",
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    change = StaffChange.objects.get(field=StaffChangeField.ROLE)
    assert (change.old, change.new, change.actor) == (
        roles.AGENT,
        roles.SUPERVISOR,
        administrator.user,
    )


def test_the_staff_audit_cannot_be_changed_or_deleted(login, francois, agent):
    login(francois).post(_change_url(agent), _form(agent, roles=[roles.SUPERVISOR]))
    change = StaffChange.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        StaffChange.objects.filter(pk=change.pk).update(new=roles.AGENT)
    with pytest.raises(DatabaseError), transaction.atomic():
        StaffChange.objects.filter(pk=change.pk).delete()


def test_the_dpo_reads_the_staff_audit_and_an_agent_must_not(login, francois, agent, dpo):
    login(francois).post(_change_url(agent), _form(agent, roles=[roles.SUPERVISOR]))
    page = login(dpo).get(reverse("agences:staff_changes"))
    assert page.status_code == 200
    assert "Camille Rousseau" in page.content.decode()
    assert login(agent).get(reverse("agences:staff_changes")).status_code == 403


def test_director_adds_an_agent_with_a_role_and_it_is_audited(login, director, agency_villeurbanne):
    _staff(director)
    user = director.user.__class__.objects.create_user("ines", password="x")
    response = login(director).post(
        reverse("admin:agences_agent_add"),
        {
            "display_name": "Inès Carpentier",
            "agency": agency_villeurbanne.pk,
            "user": user.pk,
            "phone_extension": "",
            "languages": "",
            "roles": [roles.SUPERVISOR],
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302
    assert role_names(user=user) == [roles.SUPERVISOR]
    change = StaffChange.objects.get()
    assert (change.agent.display_name, change.new) == ("Inès Carpentier", roles.SUPERVISOR)


def test_no_one_but_an_administrator_touches_an_administrator_login(
    login, director, administrator, agency_villeurbanne
):
    _staff(director)
    user = director.user.__class__.objects.create_user("root", password="x")
    user.groups.add(user.groups.model.objects.get(name=roles.ADMINISTRATOR))
    response = login(director).post(
        reverse("admin:agences_agent_add"),
        {
            "display_name": "Compte racine",
            "agency": agency_villeurbanne.pk,
            "user": user.pk,
            "languages": "",
            "roles": [roles.AGENT],
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 200  # the form's error, not a server error
    assert role_names(user=user) == [roles.ADMINISTRATOR]
