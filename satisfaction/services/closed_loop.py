"""The closed loop: an unhappy customer gets called back, by the person who knows them."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agences.models import Agency
from relation_client.messages import salutation_params
from relation_client.touchpoints.deadlines import deadline_for
from relation_client.touchpoints.models import Reason, Request, RequestStatus
from relation_client.touchpoints.services import alert_raise
from relation_client.touchpoints.services.alerts import supervisor_of
from relation_client.webhooks import events as webhooks
from satisfaction.models import DETRACTOR_UP_TO, SurveyAnswer

# Alert.kind for the closed loop (a label is declared in touchpoints.AlertKind)
DETRACTOR_ALERT = "detractor"


def needs_call_back(*, kind: str, score: int, complaint: bool) -> bool:
    """A detractor (NPS ≤ 6, CSAT ≤ 2) or an answer the customer marked as a complaint."""
    return complaint or (kind in DETRACTOR_UP_TO and score <= DETRACTOR_UP_TO[kind])


def closed_loop_open(*, answer: SurveyAnswer) -> Request | None:
    """Open a request for the customer's usual contact (else the agency's supervisor),
    with the channel's deadline, and alert them. Once per answer: the caller holds the
    invitation's lock, and the request is remembered on the answer."""
    if answer.loop_request_id is not None:
        return None
    invitation = answer.invitation
    kind = invitation.survey.kind
    if not needs_call_back(kind=kind, score=answer.score, complaint=answer.complaint):
        return None
    customer = invitation.customer
    assignee = customer.usual_contact or supervisor_of(invitation.agency_id)
    agency = assignee.agency if assignee else Agency.objects.get(pk=invitation.agency_id)
    now = timezone.now()
    low, high = invitation.survey.scale
    # staff read these in the interface's language, whatever language the customer used
    with translation.override(settings.LANGUAGE_CODE):
        what = (
            _("Réclamation laissée dans l'enquête")
            if answer.complaint
            else _("Client insatisfait dans l'enquête")
        )
        subject = _("%(what)s : note %(score)s (échelle %(low)s–%(high)s)") % {
            "what": what,
            "score": answer.score,
            "low": low,
            "high": high,
        }
        if answer.comment:
            subject += f" — « {answer.comment[:120]} »"
        request = Request.objects.create(
            customer=customer,
            agency=agency,
            assignee=assignee,
            channel=invitation.channel,
            reason=Reason.objects.get(code="complaint" if answer.complaint else "other"),
            subject=subject[:200],
            status=RequestStatus.OPEN,
            deadline=deadline_for(
                agency=agency,
                channel=invitation.channel,
                start=now,
                segment=customer.segment if customer.segment_id else None,
            ),
            priority=customer.segment.priority if customer.segment_id else 9,
            opened_at=now,
        )
        webhooks.request_opened(request=request)
        answer.loop_request = request
        answer.save(update_fields=["loop_request", "updated_at"])
        if assignee is not None:
            alert_raise(
                kind=DETRACTOR_ALERT,
                recipient=assignee,
                customer=customer,
                request=request,
                cause=f"survey:answer:{answer.pk}",
                params={"customer": salutation_params(customer), "subject": subject},
            )
    return request
