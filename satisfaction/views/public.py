"""The customer's survey page: no login, one question, single use, French or English."""

from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from satisfaction import selectors, services
from satisfaction.forms import SurveyAnswerForm
from satisfaction.services.invitations import PAGE_LANGUAGES, page_language
from socle.errors import DomainError

# a used or expired link is gone for good; an unknown one never existed
CLOSED_STATUS = {"answered": 410, "expired": 410, "unknown": 404}
CLOSED_CODES = {"already_answered": "answered", "expired": "expired", "unknown_link": "unknown"}


def same_origin_referrer(view):
    """The survey link's single-use token must not reach other sites in a Referer, yet the
    page's own form must: a POST sent under "no-referrer" carries "Origin: null" and fails
    the CSRF check. Set here rather than left to the site-wide default, which may change."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _closed(request, state: str, language: str):
    return render(
        request,
        "satisfaction/public/closed.html",
        {"state": state, "language": language, "languages": PAGE_LANGUAGES},
        status=CLOSED_STATUS[state],
    )


@never_cache
@same_origin_referrer
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    invitation = selectors.invitation_for_token(token=token)
    chosen = request.GET.get("langue")
    language = page_language(
        chosen
        if chosen in PAGE_LANGUAGES
        else (invitation.customer.preferred_language if invitation else None)
    )
    with translation.override(language):
        if invitation is None:
            return _closed(request, "unknown", language)
        state = selectors.link_state(invitation, timezone.now())
        if state != "open":
            return _closed(request, state, language)
        question = (
            invitation.survey.question_en if language == "en" else invitation.survey.question_fr
        )
        form = SurveyAnswerForm(
            request.POST if request.method == "POST" else None,
            invitation=invitation,
            question=question,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer_submit(token=token, **form.answer())
            except DomainError as error:
                if error.code in CLOSED_CODES:
                    return _closed(request, CLOSED_CODES[error.code], language)
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
            else:
                return redirect(reverse("satisfaction:survey_thanks") + f"?langue={language}")
        low, high = invitation.survey.scale
        context = {
            "invitation": invitation,
            "form": form,
            "language": language,
            "languages": PAGE_LANGUAGES,
            "low": low,
            "high": high,
            "agent_first_name": invitation.agent.first_name if invitation.agent_id else "",
        }
        return render(
            request,
            "satisfaction/public/survey.html",
            context,
            status=400 if form.errors else 200,
        )


@never_cache
@same_origin_referrer
@require_GET
def survey_thanks(request):
    language = page_language(request.GET.get("langue"))
    with translation.override(language):
        return render(
            request,
            "satisfaction/public/thanks.html",
            {"language": language, "languages": PAGE_LANGUAGES},
        )
