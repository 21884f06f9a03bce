from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agences.login import (
    AdminLoginView,
    ThrottledLoginView,
    ThrottledPasswordResetView,
    UnlockingPasswordResetConfirmView,
)
from agences.views import accounts as account_views
from relation_client import views as project_views
from relation_client.messaging import dev_views as messaging_dev_views
from relation_client.messaging import sms_inbound, unsubscribe_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("connexion/", ThrottledLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # accounts: passwords, the second factor, the session's keep-alive
    path(
        "compte/mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "compte/mot-de-passe-oublie/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "compte/mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "compte/reinitialiser/<uidb64>/<token>/",
        UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/reinitialiser/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/second-facteur/", account_views.otp_setup, name="otp_setup"),
    path("compte/second-facteur/code/", account_views.otp_verify, name="otp_verify"),
    path("compte/session/", account_views.session_keepalive, name="session_keepalive"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sante/", project_views.health, name="health"),
    path("contact/", include("relation_client.messaging.contact.urls")),
    # the link at the foot of campaign messages and survey invitations: public, signed
    path("desinscription/<str:token>/", unsubscribe_views.unsubscribe, name="unsubscribe"),
    path("clients/", include("relation_client.customers.urls")),
    path("demandes/", include("relation_client.touchpoints.urls")),
    # the answer by e-mail on a request (/demandes/…) and the canned answers (/reponses-types/)
    path("", include("relation_client.messaging.answer_urls")),
    path("messages/", include("relation_client.messaging.urls")),
    path("cycle/", include("relation_client.cycle.urls")),
    path("controle-qualite/", include("relation_client.quality.urls")),
    path("equipes/", include("relation_client.teams.urls")),
    path("perturbations/", include("relation_client.network.urls")),
    path("confidentialite/", include("relation_client.privacy.urls")),
    path("reconquete/", include("reconquete.urls")),
    path("satisfaction/", include("satisfaction.urls")),
    # the SMS provider forwards what customers text back (STOP), with its shared token
    path("canaux/sms/entrant/", sms_inbound.sms_inbound, name="sms_inbound"),
    # the agent's desk in real time: the event stream (ASGI) and the screen pop of a call
    path("direct/", include("relation_client.live.urls")),
    path("appels/", include("relation_client.telephony.urls")),
    path("api/v1/", include("relation_client.api.urls")),
    path("api/v1/", include("reconquete.api.urls")),
    path("api/v1/", include("satisfaction.api.urls")),
    # local work only: 404 unless DEBUG (relation_client/messaging/dev_views.py)
    path("dev/courriels/", messaging_dev_views.sent_mails, name="dev_sent_mails"),
    # before the admin's own: its login page had no brake
    path("admin/login/", AdminLoginView.as_view(), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "Relation Client"
admin.site.site_title = "Relation Client"

handler400 = "relation_client.handlers.bad_request"
handler403 = "relation_client.handlers.permission_denied"
handler404 = "relation_client.handlers.not_found"
handler500 = "relation_client.handlers.server_error"
