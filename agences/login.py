"""The doors with a password behind them, each with the brake of agences.brake.

Staff login (/connexion/), admin login (/admin/login/) and the password reset form. Past
the brake's limit an attempt is refused (HTTP 429) even with the right password, and the
page says so in French.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from agences.brake import LOGIN, RESET, brake_blocked, brake_clear_account, brake_failed


def _refused_form(view):
    """The posted form, shown again without being checked: checking it would try the
    password the brake is refusing."""
    form = view.get_form()
    form._errors, form.cleaned_data = ErrorDict(), {}
    return form


def _throttled_message() -> str:
    return _(
        "Trop de tentatives de connexion. Réessayez dans un quart d'heure, ou demandez "
        "à votre superviseur de débloquer votre compte."
    )


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if brake_blocked(request=request, username=username, scope=LOGIN):
            form = _refused_form(self)
            context = self.get_context_data(form=form, throttled=_throttled_message())
            return self.render_to_response(context, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            brake_clear_account(username=username, scope=LOGIN)
        else:  # the form came back: wrong credentials
            brake_failed(request=request, username=username, scope=LOGIN)
        return response


class AdminLoginView(ThrottledLoginView):
    """The admin's own login page, with the same brake (it had none)."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"
    # an agent without the admin sees the form again, as Django's admin shows it
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            admin.site.each_context(self.request),
            title=_("Connexion"),
            subtitle=None,
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        if context.get("throttled"):
            context["form"].add_error(None, context["throttled"])
        return context

    def get_default_redirect_url(self):
        return self.get_redirect_url() or reverse_lazy("admin:index")


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Reset mails: every request counts, found address or not, so the form can be used
    neither to flood a mailbox nor to probe addresses faster than the login."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        email = request.POST.get("email", "")
        if brake_blocked(request=request, username=email, scope=RESET):
            context = self.get_context_data(
                form=_refused_form(self),
                throttled=_(
                    "Trop de demandes de réinitialisation. Réessayez dans un quart d'heure."
                ),
            )
            return self.render_to_response(context, status=429)
        brake_failed(request=request, username=email, scope=RESET)
        return super().post(request, *args, **kwargs)


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password chosen through the mailed link lifts the account's brake: the
    person who was locked out proved they hold the mailbox."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        brake_clear_account(username=self.user.get_username(), scope=LOGIN)
        return response
