from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from agences.login import ThrottledLoginView
from relation_client import views as project_views

urlpatterns = [
    path("", project_views.home, name="home"),
    path("connexion/", ThrottledLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sante/", project_views.health, name="health"),
    path("clients/", include("relation_client.customers.urls")),
    path("demandes/", include("relation_client.touchpoints.urls")),
    path("cycle/", include("relation_client.cycle.urls")),
    path("equipes/", include("relation_client.teams.urls")),
    path("confidentialite/", include("relation_client.privacy.urls")),
    path("reconquete/", include("reconquete.urls")),
    path("satisfaction/", include("satisfaction.urls")),
    path("api/v1/", include("relation_client.api.urls")),
    path("api/v1/", include("reconquete.api.urls")),
    path("api/v1/", include("satisfaction.api.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

admin.site.site_header = "Relation Client"
admin.site.site_title = "Relation Client"

handler400 = "relation_client.handlers.bad_request"
handler404 = "relation_client.handlers.not_found"
handler500 = "relation_client.handlers.server_error"
