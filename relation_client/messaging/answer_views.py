"""The answer by e-mail on the request page, and the canned answers' pages.

The answer form, the picker and the retry act on a request: whoever may work it (their
agency's, or assigned to them; never the DPO's role alone: `workspace_required`) and no
one else (another agency's request is a 404). The canned answers are managed by
supervisors and up (MANAGE_ANSWER_TEMPLATES).
"""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import permission_required, workspace_required
from agences.models import Agent
from agences.permissions import MANAGE_ANSWER_TEMPLATES
from relation_client.messaging import answer_templates, answers
from relation_client.messaging.answer_forms import (
    AnswerMailForm,
    AnswerTemplateForm,
    TemplateFilterForm,
    template_form_marked,
)
from relation_client.messaging.answer_panels import MAIL_FORM, sent_context, sent_of
from relation_client.messaging.models import AnswerTemplate, OutboundMessage
from relation_client.messaging.threads import subject_with_reference
from relation_client.touchpoints.models import Request
from relation_client.touchpoints.selectors import requests_workable
from relation_client.touchpoints.views import request_page, request_page_after_action
from socle.errors import DomainError

REFUSED = gettext_lazy("Seuls les superviseurs gèrent les réponses types.")


def _workable(agent: Agent, pk: int) -> Request:
    return get_object_or_404(
        requests_workable(agent=agent).select_related("customer", "agency", "reason"), pk=pk
    )


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@require_POST
@workspace_required
def answer_send(request, pk: int):
    agent = request.agent
    req = _workable(agent, pk)
    form = AnswerMailForm(request.POST, addresses=answers.answer_addresses(req))
    if form.is_valid():
        try:
            message = answers.answer_send(request=req, by=agent, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            done = _("Réponse enregistrée : le message part vers %(address)s.") % {
                "address": message.to_address
            }
            return request_page_after_action(request, agent, pk, done)
    return request_page(request, agent, pk, status=400, **{MAIL_FORM: form})


@require_GET
@workspace_required
def sent_messages(request, pk: int):
    req = _workable(request.agent, pk)
    return render(
        request, "messaging/answers/_sent_messages.html", {"data": sent_context(req, sent_of(req))}
    )


@require_POST
@workspace_required
def message_retry(request, pk: int):
    agent = request.agent
    message = get_object_or_404(
        OutboundMessage.objects.filter(request__in=requests_workable(agent=agent)).select_related(
            "request", "customer"
        ),
        pk=pk,
    )
    try:
        answers.answer_retry(message=message, by=agent)
    except DomainError as error:
        return request_page(request, agent, message.request_id, status=400, error=error.message)
    done = _("Message remis à l'envoi vers %(address)s.") % {"address": message.to_address}
    return request_page_after_action(request, agent, message.request_id, done)


@require_GET
@workspace_required
def template_picker(request, request_pk: int):
    """The canned answers matching what the agent typed, each with its text rendered for
    this request, for the answer form to insert."""
    agent = request.agent
    req = _workable(agent, request_pk)
    query = request.GET.get("q", "")[:100]
    options = []
    for template in answer_templates.answer_templates_for(request=req, query=query)[
        : answer_templates.PICKER_LIMIT
    ]:
        canned = answer_templates.answer_template_text(template=template, request=req, by=agent)
        options.append(
            {
                "template": template,
                "subject": subject_with_reference(canned.subject, req.pk) if canned.subject else "",
                "text": canned.text,
                "body": canned.body,
            }
        )
    return render(
        request,
        "messaging/answers/_picker_results.html",
        {"options": options, "query": query},
    )


# --- the canned answers ------------------------------------------------------------------


@require_GET
@permission_required(MANAGE_ANSWER_TEMPLATES, REFUSED)
def template_list(request):
    form = TemplateFilterForm(request.GET or None)
    templates = AnswerTemplate.objects.select_related("reason", "created_by").order_by(
        "-active", "title", "language"
    )
    if form.is_valid():
        if form.cleaned_data["motif"]:
            reason = form.cleaned_data["motif"]
            templates = templates.filter(Q(reason=reason) | Q(reason__isnull=True))
        if form.cleaned_data["langue"]:
            templates = templates.filter(language=form.cleaned_data["langue"])
        if not form.cleaned_data["retirees"]:
            templates = templates.filter(active=True)
    else:
        templates = templates.filter(active=True)
    return render(
        request,
        "messaging/answers/template_list.html",
        {"form": form, "templates": list(templates)},
    )


def _template_form(request, template: AnswerTemplate | None):
    if template is not None:
        initial = {
            "title": template.title,
            "reason": template.reason_id,
            "language": template.language,
            "subject": template.subject,
            "body": template.body,
            "active": template.active,
        }
    else:
        initial = {"language": "fr", "active": True}
    form = AnswerTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = answer_templates.answer_template_save(
                by=request.agent, template=template, **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Réponse type « %(title)s » enregistrée.") % {"title": saved.title}
            )
            return redirect("answers:template_list")
    return render(
        request,
        "messaging/answers/template_form.html",
        {
            "form": template_form_marked(form),
            "template": template,
            "variables": answer_templates.VARIABLES,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_ANSWER_TEMPLATES, REFUSED)
def template_create(request):
    return _template_form(request, None)


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_ANSWER_TEMPLATES, REFUSED)
def template_edit(request, pk: int):
    return _template_form(request, get_object_or_404(AnswerTemplate, pk=pk))


@require_POST
@permission_required(MANAGE_ANSWER_TEMPLATES, REFUSED)
def template_deactivate(request, pk: int):
    template = answer_templates.answer_template_deactivate(
        template=get_object_or_404(AnswerTemplate, pk=pk)
    )
    messages.success(
        request,
        _("Réponse type « %(title)s » retirée : les agents ne la voient plus.")
        % {"title": template.title},
    )
    return redirect("answers:template_list")
