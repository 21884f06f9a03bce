"""Canned answers: supervisors manage them per reason and language; variables are replaced
by a plain substitution, an unknown one is refused at save; agents pick one by typing a
few letters, the request's reason and the customer's language first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.messaging import answer_templates
from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import AnswerTemplate, InboundMessage, Mailbox
from relation_client.touchpoints.models import Reason
from socle.errors import DomainError
from tests.factories import CustomerFactory

REMBOURSEMENT = (
    "Votre demande {reference} sur la ligne {ligne} est bien enregistrée : vous serez "
    "remboursée avant le {echeance}.\n\n{prenom_agent}, de l'agence {agence}, reste à votre "
    "écoute ({agent})."
)


@pytest.fixture
def marechal(agency_lyon, agent):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        emails=["helene.marechal@exemple.fr"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )


@pytest.fixture
def complaint_request(marechal, agency_lyon):
    """Hélène's complaint, from the contact form, about the tram T1."""
    Mailbox.objects.create(name="Lyon", address="lyon@tcl-exemple.fr", agency=agency_lyon)
    form = InboundMessage.objects.create(
        source="web_form",
        sender_address="helene.marechal@exemple.fr",
        subject="Tram T1 supprimé samedi",
        body_text="Le tram T1 ne circulait pas samedi, je souhaite être remboursée.",
        reason=Reason.objects.get(code="complaint"),
        line="T1",
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    return inbound_file(message=form).request


@pytest.fixture
def canned(supervisor_lyon):
    complaint = Reason.objects.get(code="complaint")

    def make(title, body, *, reason=complaint, language="fr", subject="", active=True):
        return answer_templates.answer_template_save(
            by=supervisor_lyon,
            title=title,
            body=body,
            reason=reason,
            language=language,
            subject=subject,
            active=active,
        )

    return make


def test_variables_are_replaced_and_nothing_else_is_evaluated(db, canned, complaint_request, agent):
    template = canned("Remboursement accordé", REMBOURSEMENT, subject="Remboursement {reference}")
    subject, text, body = answer_templates.answer_template_text(
        template=template, request=complaint_request, by=agent
    )
    assert body == f"Bonjour Madame Maréchal,\n\n{text}\n\n" + (
        "Bien cordialement,\n\nCamille Rousseau\nAgence Lyon Part-Dieu"
    )
    reference = complaint_request.reference
    assert subject == f"Remboursement {reference}"
    deadline = timezone.localtime(complaint_request.deadline)
    assert body.startswith("Bonjour Madame Maréchal,\n\nVotre demande " + reference)
    assert "sur la ligne T1 est bien enregistrée" in body
    assert f"avant le {deadline.day} " in body and str(deadline.year) in body
    assert "Camille, de l'agence Lyon Part-Dieu, reste à votre écoute (Camille Rousseau)" in body
    assert body.endswith("Bien cordialement,\n\nCamille Rousseau\nAgence Lyon Part-Dieu")
    # a plain substitution: no template engine, no lookup into the values
    assert answer_templates.variables_render("{agent.user.password} {{", {"agent": "x"}) == (
        "{agent.user.password} {{"
    )


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("Bonjour {prenom},", "{prenom}"),
        ("Votre dossier {{ request.customer }}", "{ request.customer }"),
        ("{% if ligne %}sur la ligne{% endif %}", "{% if ligne %}, {% endif %}"),
        ("Référence {Reference}", "{Reference}"),
    ],
)
def test_an_unknown_variable_is_refused_at_save(db, canned, text, unknown):
    with pytest.raises(DomainError) as refused:
        canned("Réponse piégée", text)
    assert refused.value.code == "unknown_variable" and refused.value.field == "body"
    assert str(refused.value.message) == (
        f"Variable inconnue : {unknown}. Variables possibles : {{salutation}}, "
        "{prenom_agent}, {agent}, {reference}, {echeance}, {ligne}, {agence}."
    )
    assert not AnswerTemplate.objects.exists()


def test_supervisors_create_edit_and_withdraw_canned_answers(db, login, supervisor_lyon):
    client = login(supervisor_lyon)
    assert client.get(reverse("answers:template_list")).status_code == 200
    complaint = Reason.objects.get(code="complaint")
    data = {
        "title": "Remboursement accordé",
        "reason": complaint.pk,
        "language": "fr",
        "subject": "",
        "body": "Vous serez remboursée avant le {prenom}.",
        "active": "on",
    }
    refused = client.post(reverse("answers:template_create"), data)
    assert refused.status_code == 400
    assert "Variable inconnue : {prenom}. Variables possibles" in refused.content.decode()

    data["body"] = "Vous serez remboursée avant le {echeance}."
    response = client.post(reverse("answers:template_create"), data, follow=True)
    assert "Réponse type « Remboursement accordé » enregistrée." in response.content.decode()
    template = AnswerTemplate.objects.get()
    assert (template.reason, template.language, template.created_by) == (
        complaint,
        "fr",
        supervisor_lyon,
    )

    same_title = client.post(reverse("answers:template_create"), data)
    assert same_title.status_code == 400
    assert "porte déjà ce titre dans cette langue" in same_title.content.decode()
    english = client.post(reverse("answers:template_create"), {**data, "language": "en"})
    assert english.status_code == 302

    edit = reverse("answers:template_edit", args=[template.pk])
    assert "Vous serez remboursée avant le {echeance}." in client.get(edit).content.decode()
    client.post(edit, {**data, "body": "Remboursement sous dix jours, {salutation}.", "reason": ""})
    template.refresh_from_db()
    assert template.body == "Remboursement sous dix jours, {salutation}."
    assert template.reason is None

    response = client.post(reverse("answers:template_deactivate", args=[template.pk]), follow=True)
    assert "retirée : les agents ne la voient plus" in response.content.decode()
    template.refresh_from_db()
    assert template.active is False
    listing = client.get(reverse("answers:template_list"), {"langue": "fr"}).content.decode()
    assert "Remboursement accordé" not in listing
    listing = client.get(
        reverse("answers:template_list"), {"langue": "fr", "retirees": "on"}
    ).content.decode()
    assert "Remboursement accordé" in listing and "retirée" in listing


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.AGENT, False),
        (roles.SUPERVISOR, True),
        (roles.MANAGER, True),
        (roles.NETWORK_DIRECTOR, True),
        (roles.ADMINISTRATOR, True),
        (roles.DPO, False),
    ],
)
def test_only_supervisors_and_up_manage_canned_answers(
    db, login, make_staff, agency_lyon, role, allowed
):
    client = login(make_staff("quelquun", "Quelqu'un Dupré", role, agency_lyon))
    home = client.get(reverse("home"), follow=True).content.decode()
    assert (reverse("answers:template_list") in home) is allowed
    assert client.get(reverse("answers:template_list")).status_code == (200 if allowed else 403)
    assert client.get(reverse("answers:template_create")).status_code == (200 if allowed else 403)


def test_the_picker_finds_by_a_few_letters_the_requests_reason_and_language_first(
    db, canned, complaint_request, agent, login
):
    canned("Remboursement accordé", REMBOURSEMENT)
    canned("Remboursement accordé", "You will be refunded before {echeance}.", language="en")
    canned("Remboursement : pièces manquantes", "Il manque votre RIB.", reason=None)
    canned(
        "Remboursement d'un abonnement",
        "Votre abonnement sera remboursé.",
        reason=Reason.objects.get(code="subscription"),
    )
    canned("Horaires de la ligne", "Les horaires sont en ligne.")
    canned("Remboursement retiré", "Ancienne réponse.", active=False)

    client = login(agent)
    url = reverse("answers:template_picker", args=[complaint_request.pk])
    content = client.get(url, {"q": "rembou"}).content.decode()
    texts = [
        "Votre demande RC-",  # the request's reason, the customer's language
        "Il manque votre RIB.",  # every reason, her language
        "Votre abonnement sera remboursé.",  # another reason
        "You will be refunded",  # her reason, another language
    ]
    positions = [content.index(text) for text in texts]
    assert positions == sorted(positions)
    assert "Horaires de la ligne" not in content and "Remboursement retiré" not in content
    assert "4 réponses types" in content
    # each option carries its text rendered for this request, greeting and signature included
    assert 'data-answer-body="Bonjour Madame Maréchal,\n\nVotre demande RC-' in content
    assert "Camille Rousseau\nAgence Lyon Part-Dieu" in content
    assert "Dear Ms Maréchal,\n\nYou will be refunded before" in content
    # accents and case aside, every word: the subscription one, by its text
    content = client.get(url, {"q": "SERA REMBOURSÉ"}).content.decode()
    assert "1 réponse type" in content and "Remboursement d&#x27;un abonnement" in content


def test_the_picker_is_for_those_who_work_the_request(
    db, complaint_request, agent_villeurbanne, dpo, login
):
    url = reverse("answers:template_picker", args=[complaint_request.pk])
    assert login(agent_villeurbanne).get(url, {"q": "rem"}).status_code == 404
    assert login(dpo).get(url, {"q": "rem"}).status_code == 403
