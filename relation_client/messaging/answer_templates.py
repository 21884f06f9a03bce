"""Canned answers: written by supervisors per reason and language, picked by agents in
the answer form, rendered with the request's values.

Variables are `{name}` in the text, replaced by a plain substitution (never Django's
template engine on what a user wrote: no tags, no attribute lookups, nothing evaluated).
An unknown variable is refused when the answer is saved, so that a customer never
receives "{prenom}"."""

import re
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agences.models import Agent
from relation_client.messaging.answers import latest_inbound, letter, salutation_for
from relation_client.messaging.models import AnswerTemplate
from relation_client.touchpoints.models import Reason, Request
from socle.dates import date_text
from socle.errors import DomainError

# name -> what it becomes, for the form's help and the refusal's list
VARIABLES = {
    "salutation": gettext_lazy("comment le client aime être appelé (« Madame Maréchal »)"),
    "prenom_agent": gettext_lazy("votre prénom"),
    "agent": gettext_lazy("votre nom affiché"),
    "reference": gettext_lazy("la référence de la demande (RC-000042)"),
    "echeance": gettext_lazy("l'échéance de la demande"),
    "ligne": gettext_lazy("la ligne indiquée par le client"),
    "agence": gettext_lazy("le nom de l'agence"),
}
# "{anything}" on one line: every such pair is a variable, known or not
_VARIABLE = re.compile(r"\{([^{}\n]{0,40})\}")
PICKER_LIMIT = 10


def variables_unknown(text: str) -> list[str]:
    """The `{names}` of a text that are not variables, each once, in order."""
    names = _VARIABLE.findall(text or "")
    return list(dict.fromkeys(f"{{{name}}}" for name in names if name not in VARIABLES))


def variables_render(text: str, values: dict[str, str]) -> str:
    """Each known `{name}` replaced by its value; anything else left as written."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        return str(values[name]) if name in values else match.group(0)

    return _VARIABLE.sub(replace, text or "")


def variables_listed() -> str:
    return ", ".join(f"{{{name}}}" for name in VARIABLES)


def _check_variables(text: str, field: str) -> None:
    unknown = variables_unknown(text)
    if unknown:
        raise DomainError(
            "unknown_variable",
            _("Variable inconnue : %(unknown)s. Variables possibles : %(known)s.")
            % {"unknown": ", ".join(unknown), "known": variables_listed()},
            field=field,
        )


def answer_template_save(
    *,
    by: Agent,
    title: str,
    body: str,
    language: str = "fr",
    reason: Reason | None = None,
    subject: str = "",
    active: bool = True,
    template: AnswerTemplate | None = None,
) -> AnswerTemplate:
    """Create a canned answer, or change `template`; refused with an unknown variable,
    an empty text, or the title of another answer in the same language."""
    title, subject, body = title.strip(), subject.strip(), body.strip()
    if not title:
        raise DomainError("required", _("Donnez un titre à la réponse type."), field="title")
    if not body:
        raise DomainError("required", _("Écrivez le texte de la réponse type."), field="body")
    _check_variables(subject, "subject")
    _check_variables(body, "body")
    template = template or AnswerTemplate(created_by=by)
    template.title, template.subject, template.body = title, subject, body
    template.language, template.reason, template.active = language, reason, active
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise DomainError(
            "duplicate",
            _("Une réponse type porte déjà ce titre dans cette langue."),
            field="title",
        ) from error
    return template


def answer_template_deactivate(*, template: AnswerTemplate) -> AnswerTemplate:
    """Withdrawn from the agents' picker; kept, and may be reactivated by editing it."""
    template.active = False
    template.save(update_fields=["active", "updated_at"])
    return template


def answer_templates_for(*, request: Request, query: str = "") -> QuerySet[AnswerTemplate]:
    """The active canned answers whose title or text holds what the agent typed (accents
    and case aside): the request's reason and the customer's language first, then the
    answers for every reason, then the others."""
    customer = request.customer
    language = customer.preferred_language if customer else "fr"
    found = AnswerTemplate.objects.filter(active=True).select_related("reason")
    for word in query.split()[:5]:
        found = found.filter(Q(title__unaccent__icontains=word) | Q(body__unaccent__icontains=word))
    return found.annotate(
        rank=Case(
            When(reason_id=request.reason_id, then=Value(0)),
            When(reason__isnull=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        + Case(When(language=language, then=Value(0)), default=Value(3))
    ).order_by("rank", "title")


def template_values(*, request: Request, by: Agent, language: str) -> dict[str, str]:
    inbound = latest_inbound(request)
    with translation.override(language):
        deadline = date_text(timezone.localtime(request.deadline), "DATE_FORMAT")
    return {
        "salutation": salutation_for(request.customer, language),
        "prenom_agent": by.first_name,
        "agent": by.display_name,
        "reference": request.reference,
        "echeance": deadline,
        "ligne": inbound.line if inbound is not None else "",
        "agence": request.agency.name,
    }


class CannedText(NamedTuple):
    subject: str  # "" when the answer has none (the form keeps "Re: …")
    text: str  # the answer's own text, variables replaced
    body: str  # the whole letter: greeting, text, signature


def answer_template_text(*, template: AnswerTemplate, request: Request, by: Agent) -> CannedText:
    """The canned answer for this request: its variables replaced, the greeting before
    and the agent's signature after, in the answer's language."""
    values = template_values(request=request, by=by, language=template.language)
    text = variables_render(template.body, values)
    body = letter(customer=request.customer, agent=by, language=template.language, text=text)
    return CannedText(variables_render(template.subject, values), text, body)
