"""The public survey page (satisfaction:survey): no login, names the agent by first name,
French or English, single use and expiring."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from satisfaction.models import SurveyAnswer, SurveyInvitation

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(token: str, **params) -> str:
    query = "".join(f"?{key}={value}" for key, value in params.items())
    return reverse("satisfaction:survey", args=[token]) + query


def test_no_login_one_question_and_the_agents_first_name(client, helene, make_invitation):
    _invitation, token = make_invitation(helene, channel="counter")
    response = client.get(url(token))
    page = text(response)
    assert response.status_code == 200
    assert "vous avez été reçu·e par Camille." in page
    assert "Rousseau" not in page  # the first name only
    assert "Dans l'ensemble, êtes-vous satisfait·e de cet échange ?" in page
    assert page.count('name="score"') == 5  # CSAT: 1 to 5
    assert 'name="comment"' in page and 'name="service_rating"' in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_phone_is_named_as_such(client, helene, make_invitation):
    _invitation, token = make_invitation(helene, kind="nps", channel="phone")
    page = text(client.get(url(token)))
    assert "vous avez parlé au téléphone avec Camille" in page
    assert page.count('name="score"') == 11  # NPS: 0 to 10


def test_in_the_customers_language_and_switchable(client, make_customer, make_invitation):
    emily = make_customer("Emily", "Clarke", preferred_language="en")
    _invitation, token = make_invitation(emily)
    english = text(client.get(url(token)))
    assert '<html lang="en">' in english
    assert "Overall, how satisfied are you with this exchange?" in english
    assert "you were welcomed by Camille." in english and "Send my opinion" in english
    french = text(client.get(url(token, langue="fr")))
    assert '<html lang="fr">' in french
    assert "Dans l'ensemble, êtes-vous satisfait·e de cet échange ?" in french
    assert "Envoyer mon avis" in french


def test_answering_records_and_thanks(client, helene, make_invitation):
    invitation, token = make_invitation(helene)
    response = client.post(
        url(token, langue="fr"),
        {"score": "4", "comment": "Très bon accueil à Part-Dieu", "service_rating": "5"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("satisfaction:survey_thanks") + "?langue=fr"
    answer = SurveyAnswer.objects.get(invitation=invitation)
    assert (answer.score, answer.service_rating, answer.complaint) == (4, 5, False)
    assert "Merci pour votre avis" in text(client.get(response["Location"]))


def test_a_reused_link_says_so_and_records_nothing(client, helene, make_invitation):
    _invitation, token = make_invitation(helene)
    client.post(url(token), {"score": "5"})
    again = client.post(url(token), {"score": "1", "comment": "Je change d'avis"})
    assert again.status_code == 410
    assert "Vous avez déjà répondu, merci" in text(again)
    assert SurveyAnswer.objects.get().score == 5
    assert client.get(url(token)).status_code == 410


def test_an_expired_link_says_so_and_records_nothing(client, helene, make_invitation):
    invitation, token = make_invitation(helene)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = client.post(url(token), {"score": "5"})
    assert response.status_code == 410
    assert "Ce lien a expiré" in text(response)
    assert not SurveyAnswer.objects.exists()


def test_an_unknown_link(client, db):
    response = client.get(url("n-importe-quoi"))
    assert response.status_code == 404
    assert "Lien d'enquête introuvable" in text(response)


def test_a_score_out_of_the_scale_is_refused(client, helene, make_invitation):
    _invitation, token = make_invitation(helene)
    response = client.post(url(token), {"score": "9"})
    assert response.status_code == 400
    assert not SurveyAnswer.objects.exists()
    response = client.post(url(token), {})
    assert "Choisissez une note." in text(response)


def test_page_queries(client, helene, make_invitation, django_assert_num_queries):
    _invitation, token = make_invitation(helene)
    # the invitation with its survey, agent and customer: one query
    with django_assert_num_queries(1):
        client.get(url(token))


def test_french_elides_before_a_vowel(client, helene, make_invitation, make_staff, agency_lyon):
    from agences import roles

    aicha = make_staff("aicha", "Aïcha Diallo", roles.AGENT, agency_lyon)
    _invitation, token = make_invitation(helene, by=aicha)
    assert "Et l'accueil d'Aïcha, comment l'évaluez-vous ?" in text(client.get(url(token)))
    _invitation, token = make_invitation(helene)
    page = text(client.get(url(token, langue="en")))
    assert "And how would you rate Camille's welcome? (optional)" in page


@pytest.mark.parametrize("policy", ["no-referrer", None])
def test_the_link_stays_on_the_site_yet_the_form_posts_back(
    client, settings, helene, make_invitation, policy
):
    """ "same-origin": the token reaches no other site, and the page's own POST keeps its
    Origin (under "no-referrer" browsers send "Origin: null", refused by the CSRF check)
    whatever the site-wide default says."""
    settings.SECURE_REFERRER_POLICY = policy
    _invitation, token = make_invitation(helene)
    response = client.get(url(token))
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in text(response)
    assert "no-referrer" not in text(response)
    assert client.get(reverse("satisfaction:survey_thanks"))["Referrer-Policy"] == "same-origin"


def test_a_browsers_post_from_the_page_passes_the_csrf_check(helene, make_invitation):
    """What a browser sends from the page under "same-origin": its Origin and Referer."""
    from django.test import Client

    invitation, token = make_invitation(helene)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url(token))
    csrf = page.cookies["csrftoken"].value
    response = browser.post(
        url(token, langue="fr"),
        {"score": 4, "csrfmiddlewaretoken": csrf},
        headers={"origin": "http://testserver", "referer": f"http://testserver{url(token)}"},
    )
    assert response.status_code == 302
    assert SurveyAnswer.objects.get(invitation=invitation).score == 4
