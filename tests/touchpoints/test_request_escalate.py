"""request_escalate: handed to a partner with a note, and on the customer's timeline."""

import pytest

from agences.models import Partner
from relation_client.touchpoints.models import Outcome, RequestStatus, TouchpointKind
from relation_client.touchpoints.services import request_close, request_escalate
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_escalation_sets_the_partner_and_goes_on_the_timeline(open_request, partner, agent, helene):
    touchpoint = request_escalate(
        request=open_request,
        partner=partner,
        note="Sac à dos rouge oublié dans le métro B",
        by=agent,
    )
    open_request.refresh_from_db()
    assert open_request.partner == partner
    assert open_request.escalated_at is not None
    assert open_request.status == RequestStatus.OPEN  # still ours until answered
    timeline = list(helene.touchpoints.all())
    assert timeline[0] == touchpoint
    assert touchpoint.kind == TouchpointKind.ESCALATION
    assert touchpoint.outcome == Outcome.ESCALATED
    assert touchpoint.request == open_request
    assert touchpoint.summary == (
        "Transmise à Objets Trouvés Métropole : Sac à dos rouge oublié dans le métro B"
    )


def test_escalation_needs_a_note(open_request, partner, agent):
    with pytest.raises(DomainError) as error:
        request_escalate(request=open_request, partner=partner, note="  ", by=agent)
    assert error.value.field == "note"
    open_request.refresh_from_db()
    assert open_request.partner is None


def test_a_closed_request_is_not_escalated(open_request, partner, agent):
    request_close(request=open_request, by=agent)
    with pytest.raises(DomainError) as error:
        request_escalate(request=open_request, partner=partner, note="À traiter", by=agent)
    assert error.value.code == "not_open"


def test_escalating_twice_to_the_same_partner_is_refused_another_one_is_fine(
    open_request, partner, agent
):
    request_escalate(request=open_request, partner=partner, note="Première transmission", by=agent)
    with pytest.raises(DomainError) as error:
        request_escalate(request=open_request, partner=partner, note="Encore", by=agent)
    assert error.value.code == "already_escalated"
    other = Partner.objects.create(name="Service Accessibilité Sytral", domain="Accessibilité")
    request_escalate(request=open_request, partner=other, note="Relais accessibilité", by=agent)
    open_request.refresh_from_db()
    assert open_request.partner == other
    assert open_request.touchpoints.filter(kind=TouchpointKind.ESCALATION).count() == 2


def test_the_escalation_stamps_whether_the_handover_is_complete(
    open_request, partner, agent, make_customer, log
):
    # issue #20: the operator's commitment to hand over the name, a contact, the subject
    request_escalate(request=open_request, partner=partner, note="Sac rouge", by=agent)
    open_request.refresh_from_db()
    assert open_request.handover_complete is True  # Hélène: a name and a phone
    nobody = make_customer("Aurélien", "Brémond")  # no phone, no e-mail
    anonymous_request = log(nobody, summary="Vélo oublié à Perrache").request
    request_escalate(request=anonymous_request, partner=partner, note="Vélo", by=agent)
    anonymous_request.refresh_from_db()
    assert anonymous_request.handover_complete is False
