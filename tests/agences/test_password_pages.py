"""Passwords: self-service change, reset by e-mail with Django's views (French pages and
mail), and a supervisor unlocking a locked-out agent of their agency."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from agences.models import StaffChange, StaffChangeField
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tramway-Bellecour-2031!"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.LOGIN_MAX_FAILURES = 3
    cache.clear()
    yield
    cache.clear()


def _lock_out(client, username):
    for _ in range(3):
        client.post(reverse("login"), {"username": username, "password": "devine"})
    refused = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert refused.status_code == 429


def test_agent_changes_their_password(agent_client, client, agent):
    page = agent_client.get(reverse("password_change"))
    assert "Changer mon mot de passe" in page.content.decode()
    response = agent_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    # still signed in on this post, and the new password opens the next session
    assert agent_client.get(reverse("home")).status_code == 200
    agent_client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "camille", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_wrong_current_password_is_refused_in_french(agent_client, agent):
    response = agent_client.post(
        reverse("password_change"),
        {"old_password": "faux", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in response.content.decode()
    agent.user.refresh_from_db()
    assert agent.user.check_password(PASSWORD)


def test_password_change_must_not_be_reached_anonymously(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reset_by_email_unlocks_and_sets_a_new_password(client, agent):
    agent.user.email = "camille.rousseau@exemple.fr"
    agent.user.save(update_fields=["email"])
    _lock_out(client, "camille")

    response = client.post(reverse("password_reset"), {"email": "Camille.Rousseau@exemple.fr"})
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["camille.rousseau@exemple.fr"]
    assert message.subject == "Relation Client : choisir un nouveau mot de passe"
    assert "Votre identifiant : camille" in message.body
    link = re.search(r"http://\S+", message.body).group(0)

    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Nouveau mot de passe" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("password_reset_complete")

    response = client.post(reverse("login"), {"username": "camille", "password": NEW_PASSWORD})
    assert response.status_code == 302
    # the link served once
    assert "plus valable" in client.get(path, follow=True).content.decode()


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, agent):
    response = client.post(reverse("password_reset"), {"email": "personne@exemple.fr"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_supervisor_unlocks_a_locked_out_agent_of_their_agency(
    client, login, agent, supervisor_lyon, django_capture_on_commit_callbacks
):
    _lock_out(client, "camille")
    supervisor = login(supervisor_lyon)
    page = supervisor.get(reverse("agences:team_accounts")).content.decode()
    assert "Débloquer Camille Rousseau" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor.post(reverse("agences:account_unlock", args=[agent.pk]))
    assert response.status_code == 302
    change = StaffChange.objects.get()
    assert (change.field, change.agent, change.actor) == (
        StaffChangeField.UNLOCK,
        agent,
        supervisor_lyon.user,
    )
    supervisor.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 302


def test_another_agency_must_not_unlock(client, login, agent, manager_villeurbanne):
    _lock_out(client, "camille")
    response = login(manager_villeurbanne).post(reverse("agences:account_unlock", args=[agent.pk]))
    assert response.status_code == 404
    assert not StaffChange.objects.exists()


def test_an_agent_must_not_unlock(login, agent, colleague_lyon):
    response = login(colleague_lyon).post(reverse("agences:account_unlock", args=[agent.pk]))
    assert response.status_code == 403
