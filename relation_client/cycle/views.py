"""The loyalty-cycle pages: the board, a round's record, and the actions that steer it.

Reading needs `cycle.view_round` (supervisors and up); steering needs
`cycle.steer_cycle` (managers and the network direction). Both need an agent profile:
the services record who did what.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agences.decorators import permission_required
from agences.permissions import STEER_CYCLE, VIEW_CYCLE
from relation_client.customers.models import Segment
from relation_client.cycle import selectors, services
from relation_client.cycle.forms import RECORD_FORMS, AdvanceForm, MeasureForm
from relation_client.cycle.models import (
    STAGE_ORDER,
    AdaptedService,
    Control,
    PrivilegeAction,
    Round,
    Stage,
    WrittenCommitment,
)
from relation_client.cycle.rules import REQUIREMENTS
from socle.errors import DomainError

CYCLE_REFUSED = gettext_lazy("Le cycle de fidélisation est réservé à l'encadrement.")

SERVICES = {
    "constat": services.finding_add,
    "service": services.adapted_service_add,
    "action": services.privilege_action_add,
    "engagement": services.written_commitment_add,
    "controle": services.control_add,
    "decision": services.decision_add,
}
ENDABLE = {"service": AdaptedService, "action": PrivilegeAction, "engagement": WrittenCommitment}


def cycle_access(permission: str):
    """An agent holding `permission`: the view finds the agent on `request.agent`."""
    return permission_required(permission, CYCLE_REFUSED)


@require_GET
@cycle_access(VIEW_CYCLE)
def board(request):
    context = {"board": selectors.cycle_board(), "can_steer": request.user.has_perm(STEER_CYCLE)}
    return render(request, "cycle/board.html", context)


@require_POST
@cycle_access(STEER_CYCLE)
def segment_start(request, segment_id: int):
    segment = get_object_or_404(Segment, pk=segment_id)
    try:
        round = services.round_start(segment=segment, by=request.agent)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("cycle:board")
    messages.success(
        request, _("Tour %(number)s lancé à l'étape Identifier.") % {"number": round.number}
    )
    return redirect(round)


def _render_round(request, pk: int, *, status: int = 200, error: str = "", bound=None):
    """The round's page; `bound` is a form that came back with errors, shown in place."""
    page = selectors.round_page(pk=pk)
    if page is None:
        raise Http404(_("Aucun tour du cycle ne porte ce numéro."))
    round = page.round
    can_steer = request.user.has_perm(STEER_CYCLE) and round.is_open
    forms = {}
    can_measure = can_steer and round.stage_index >= STAGE_ORDER.index(Stage.CONTROL)
    if can_steer:
        for slug, form_class in RECORD_FORMS.items():
            if round.stage_index >= STAGE_ORDER.index(form_class.stage):
                same = getattr(bound, "slug", None) == slug
                forms[slug] = bound if same else form_class(round=round)
    if can_measure:
        for control in page.controls:
            same = isinstance(bound, MeasureForm) and bound.prefix == f"mesure-{control.pk}"
            control.measure_form = bound if same else MeasureForm(control=control)
    next_stage = round.next_stage
    context = {
        "page": page,
        "round": round,
        "stages": _stage_states(round),
        "can_steer": can_steer,
        "forms": forms,
        "can_measure": can_measure,
        "next_stage": next_stage,
        "next_requirement": REQUIREMENTS.get(next_stage, ""),
        "error": error,
    }
    return render(request, "cycle/round_detail.html", context, status=status)


def _stage_states(round: Round) -> list[dict]:
    """Each stage with its state for the stepper: done, current or upcoming."""
    states = []
    for index, (code, label) in enumerate(Stage.choices):
        if index < round.stage_index:
            state = "done"
        else:
            state = "current" if index == round.stage_index else "upcoming"
        states.append({"code": code, "label": label, "state": state})
    return states


@require_GET
@cycle_access(VIEW_CYCLE)
def round_detail(request, pk: int):
    return _render_round(request, pk)


@require_POST
@cycle_access(STEER_CYCLE)
def round_advance(request, pk: int):
    round = get_object_or_404(Round, pk=pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _render_round(request, pk, status=400, error=_("Étape inconnue."))
    try:
        round = services.round_advance(
            round=round, to_stage=form.cleaned_data["to_stage"], by=request.agent
        )
    except DomainError as error:
        return _render_round(request, pk, status=400, error=str(error.message))
    messages.success(
        request, _("Le tour passe à l'étape « %(stage)s ».") % {"stage": round.get_stage_display()}
    )
    return redirect(round)


@require_POST
@cycle_access(STEER_CYCLE)
def round_close(request, pk: int):
    round = get_object_or_404(Round, pk=pk)
    try:
        following = services.round_close(round=round, by=request.agent)
    except DomainError as error:
        return _render_round(request, pk, status=400, error=str(error.message))
    messages.success(
        request,
        _("Tour %(old)s clos. Le tour %(new)s commence à Identifier, avec les éléments en cours.")
        % {"old": round.number, "new": following.number},
    )
    return redirect(following)


@require_POST
@cycle_access(STEER_CYCLE)
def record_add(request, pk: int, slug: str):
    form_class = RECORD_FORMS.get(slug)
    if form_class is None:
        raise Http404
    round = get_object_or_404(Round, pk=pk)
    form = form_class(request.POST, round=round)
    if form.is_valid():
        try:
            SERVICES[slug](round=round, by=request.agent, **form.service_arguments())
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Enregistré."))
            return redirect(round)
    return _render_round(request, pk, status=400, bound=form)


@require_POST
@cycle_access(STEER_CYCLE)
def control_measure(request, pk: int):
    control = get_object_or_404(Control.objects.select_related("round__segment"), pk=pk)
    form = MeasureForm(request.POST, control=control)
    if form.is_valid():
        try:
            control = services.control_measure(
                control=control, by=request.agent, **form.service_arguments()
            )
        except DomainError as error:
            form.add_error("value" if form.manual else None, str(error.message))
            return _render_round(
                request, control.round_id, status=400, bound=form, error=str(error.message)
            )
        messages.success(
            request,
            _("Mesure enregistrée : %(label)s = %(value)s %(unit)s.")
            % {"label": control.label, "value": control.measured_value, "unit": control.unit},
        )
        return redirect(control.round)
    return _render_round(request, control.round_id, status=400, bound=form)


@require_POST
@cycle_access(STEER_CYCLE)
def item_end(request, pk: int, kind: str, item_pk: int):
    model = ENDABLE.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model.objects.select_related("round"), pk=item_pk, round_id=pk)
    try:
        services.item_end(item=item, by=request.agent)
    except DomainError as error:
        return _render_round(request, pk, status=400, error=str(error.message))
    messages.success(request, _("« %(item)s » est terminé.") % {"item": item})
    return redirect(item.round)
