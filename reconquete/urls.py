from django.urls import path

from reconquete.views import (
    calls,
    campaigns,
    dashboard,
    dashboard_actions,
    dashboard_drilldown,
    disruption_effect,
    renewals,
    settings,
)

app_name = "reconquete"

urlpatterns: list = [
    path("", dashboard.dashboard, name="dashboard"),
    path("export/<slug:table>/", dashboard.dashboard_export, name="dashboard_export"),
    path("detail/<slug:kind>/", dashboard_drilldown.drilldown, name="drilldown"),
    path("recalcul/", dashboard_actions.recompute, name="recompute"),
    path("recalcul/<int:pk>/", dashboard_actions.recompute_progress, name="recompute_progress"),
    path("detection/", dashboard_actions.detect, name="detect"),
    path(
        "perturbations/",
        disruption_effect.disruption_effect_view,
        name="disruption_effect",
    ),
    path("campagnes/", campaigns.campaigns, name="campaigns"),
    path("campagnes/nouvelle/", campaigns.campaign_create_view, name="campaign_create"),
    path("campagnes/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/lancer/", campaigns.campaign_launch_view, name="campaign_launch"),
    path("campagnes/<int:pk>/terminer/", campaigns.campaign_close_view, name="campaign_close"),
    path("campagnes/<int:pk>/cibles.csv", campaigns.campaign_export, name="campaign_export"),
    path("appels/", calls.call_list, name="call_list"),
    path("appels/<int:pk>/resultat/", calls.target_outcome, name="target_outcome"),
    path("renouvellements/", renewals.renewal_list, name="renewals"),
    path("renouvellements/<int:pk>/appel/", renewals.renewal_call, name="renewal_call"),
    path("parametres/", settings.settings_list, name="settings"),
    path("parametres/<str:key>/", settings.settings_edit, name="settings_edit"),
    path(
        "parametres/<str:key>/reinitialiser/", settings.settings_reset_view, name="settings_reset"
    ),
]
