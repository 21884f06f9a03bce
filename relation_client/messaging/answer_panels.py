"""The answer by e-mail's section of the request page (extensions.request_panels): the
form for whoever may answer the request now, or why not, and the messages sent about it
with their status."""

from django.urls import reverse

from agences.models import Agent
from relation_client import extensions
from relation_client.messaging import answers
from relation_client.messaging.answer_forms import AnswerMailForm, with_errors_marked
from relation_client.messaging.models import OutboundMessage, OutboundStatus
from relation_client.touchpoints.models import Request

MAIL_FORM = "mail_form"  # its name among the request page's bound forms


def sent_of(request: Request) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(request=request)
        .select_related("agent")
        .order_by("-created_at", "-id")
    )


def sent_context(request: Request, sent: list[OutboundMessage]) -> dict:
    return {
        "request": request,
        "sent": sent,
        "list_url": reverse("answers:sent_messages", args=[request.pk]),
        # the list refreshes itself while a message waits for the worker
        "polling": any(message.status == OutboundStatus.PENDING for message in sent),
    }


def request_mail_panel(*, request: Request, agent: Agent, forms: dict) -> dict | None:
    """extensions.request_panels: the answer form for whoever may answer the request now,
    why not when they may not, and the messages sent about it with their status."""
    sent = sent_of(request)
    form = unavailable = None
    if request.is_open:
        refusal = answers.answer_refusal(request=request, by=agent)
        inbound = answers.latest_inbound(request) if refusal is None else None
        addresses = answers.answer_addresses(request, inbound) if refusal is None else []
        if refusal is not None:
            unavailable = str(refusal.message)
        elif not addresses:
            unavailable = str(answers.no_address().message)
        else:
            form = forms.get(MAIL_FORM) or AnswerMailForm(
                addresses=addresses,
                initial={
                    "to_address": addresses[0],
                    "subject": answers.answer_subject(request, inbound),
                    "body": answers.answer_draft(request=request, by=agent),
                },
            )
    if form is None and unavailable is None and not sent:
        return None
    return {
        **sent_context(request, sent),
        "form": _marked(form) if form is not None else None,
        "unavailable": unavailable,
        "send_url": reverse("answers:send", args=[request.pk]),
        "picker_url": reverse("answers:template_picker", args=[request.pk]),
    }


def _marked(form: AnswerMailForm) -> AnswerMailForm:
    # the message's field is described by the help under it (greeting, signature)
    return with_errors_marked(form, described={"body": [f"{form['body'].auto_id}-aide"]})


# registered by the app's ready(): one object, so that registering twice is harmless
MAIL_PANEL = extensions.RequestPanel(
    name="answer_by_mail",
    load=request_mail_panel,
    template="messaging/answers/_request_panel.html",
)
