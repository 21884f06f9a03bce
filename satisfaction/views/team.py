"""The staff's pages: incivility reports and their follow-up, the pulse, the barometer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agences.decorators import agent_required, workspace_required
from satisfaction import selectors, services
from satisfaction.common import month_of
from satisfaction.forms import BarometerForm, FollowUpForm, IncivilityForm, PulseForm
from socle.errors import DomainError

PAGE_SIZE = 25


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


# --- Incivility ------------------------------------------------------------------------


@require_GET
@agent_required
def incivility_list(request):
    reports = selectors.incivility_list(agent=request.agent, user=request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "satisfaction/incivility_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@agent_required
def incivility_create(request):
    initial = {}
    if request.GET.get("client", "").isdigit():
        initial["customer"] = request.GET["client"]
    form = IncivilityForm(
        request.POST if request.method == "POST" else None, agent=request.agent, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.incivility_report(reported_by=request.agent, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Signalement enregistré : votre encadrement en est informé.")
            )
            return redirect(report)
    status = 400 if form.errors else 200
    return render(request, "satisfaction/incivility_form.html", {"form": form}, status=status)


def _report_or_404(request, pk: int):
    report = selectors.incivility_for_viewer(agent=request.agent, user=request.user, pk=pk)
    if report is None:
        # someone else's report is not theirs to know about
        raise Http404(_("Aucun signalement visible sous ce numéro."))
    return report


@require_GET
@agent_required
def incivility_detail(request, pk: int):
    report = _report_or_404(request, pk)
    context = {
        "report": report,
        "can_follow_up": selectors.incivility_can_follow_up(
            agent=request.agent, user=request.user, report=report
        ),
        "form": FollowUpForm(),
    }
    return render(request, "satisfaction/incivility_detail.html", context)


ACTIONS = {
    "prise-en-compte": (
        services.incivility_acknowledge,
        False,
        gettext_lazy("Signalement pris en compte."),
    ),
    "soutien": (
        services.incivility_offer_support,
        True,
        gettext_lazy("Soutien proposé enregistré."),
    ),
    "cloture": (services.incivility_close, True, gettext_lazy("Signalement clos.")),
}


@require_POST
@agent_required
def incivility_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    report = _report_or_404(request, pk)
    if not selectors.incivility_can_follow_up(
        agent=request.agent, user=request.user, report=report
    ):
        raise PermissionDenied(_("Le suivi revient à l'encadrement de l'agence."))
    service, takes_note, done = ACTIONS[action]
    form = FollowUpForm(request.POST)
    form.is_valid()
    extra = {"note": form.cleaned_data.get("note", "")} if takes_note else {}
    try:
        service(report=report, by=request.agent, **extra)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(done))
    return redirect(report)


# --- Pulse and barometer ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@agent_required
def pulse(request):
    answered = selectors.pulse_answered(agent=request.agent)
    form = None if answered else PulseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.pulse_submit(agent=request.agent, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Merci ! Votre réponse est enregistrée, sans votre nom."))
            return redirect("satisfaction:pulse")
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "satisfaction/pulse.html",
        {"form": form, "answered": answered, "month": month_of()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@workspace_required
def barometer(request):
    current = selectors.barometer_of(agent=request.agent)
    initial = {"satisfied_share": current.satisfied_share} if current else None
    form = BarometerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.barometer_record(agent=request.agent, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Estimation du mois enregistrée."))
            return redirect("satisfaction:barometer")
    status = 400 if form.errors else 200
    return render(
        request,
        "satisfaction/barometer.html",
        {"form": form, "current": current, "month": month_of()},
        status=status,
    )
