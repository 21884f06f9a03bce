import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_french(client):
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Connexion" in page
    assert 'for="id_username"' in page and 'for="id_password"' in page  # labelled fields
    assert 'lang="fr"' in page


def test_wrong_password_gives_a_clear_french_message(client, agent):
    response = client.post(reverse("login"), {"username": "camille", "password": "faux"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_agent_logs_in_and_is_greeted_by_name_with_their_agency(client, agent):
    response = client.post(
        reverse("login"), {"username": "camille", "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Bonjour, Camille" in page
    assert "Agence Lyon Part-Dieu, Lyon" in page


def test_home_page_must_not_be_reached_anonymously(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session(agent_client):
    response = agent_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert agent_client.get(reverse("home")).status_code == 302


def test_home_page_in_english_through_the_language_switch(agent_client):
    agent_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = agent_client.get(reverse("home")).content.decode()
    assert "Hello, Camille" in page
    assert 'lang="en"' in page


def test_home_page_query_count_is_bounded(agent_client, django_assert_num_queries):
    # session (user, agent: Redis), team size, the reasons of the « Échange
    # sans nom » form, the navigation bar's counts, the inbox: its requests (calls to return
    # and the others), its new alerts
    with django_assert_num_queries(6):
        agent_client.get(reverse("home"))
