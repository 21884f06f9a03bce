"""The staff pages under /equipes/: the academy and skills (agences' own views), the
academy's page and the partners (core views that read the customers' activity). The
namespace stays "agences", as the pages have always been named."""

from django.urls import path

from agences.views import academy as views_academy
from agences.views import accounts as views_accounts
from relation_client.partners import views as partners
from relation_client.teams import views as teams

app_name = "agences"

urlpatterns = [
    # partners and their compliance (staff)
    path("partenaires/", partners.partner_list, name="partner_list"),
    path(
        "partenaires/<int:pk>/<int:year>/<int:month>/",
        partners.partner_compliance,
        name="partner_compliance",
    ),
    path("partenaires/recalcul/", partners.compliance_recompute, name="compliance_recompute"),
    # the partner space (partner staff only)
    path("espace-partenaire/", partners.partner_requests, name="partner_requests"),
    path(
        "espace-partenaire/<int:pk>/",
        partners.partner_request_detail,
        name="partner_request_detail",
    ),
    path(
        "espace-partenaire/<int:pk>/repondre/",
        partners.partner_request_answer,
        name="partner_request_answer",
    ),
    # accounts: unlocking (supervisors), the staff audit (DPO, administrators)
    path("comptes/", views_accounts.team_accounts, name="team_accounts"),
    path("comptes/<int:pk>/debloquer/", views_accounts.account_unlock, name="account_unlock"),
    path("journal-des-acces/", views_accounts.staff_changes, name="staff_changes"),
    # academy and skills
    path("academie/", teams.academy, name="academy"),
    path("academie/sessions/<int:pk>/", views_academy.session_detail, name="session_detail"),
    path(
        "academie/sessions/<int:pk>/inscription/",
        views_academy.session_register,
        name="session_register",
    ),
    path("academie/presences/<int:pk>/", views_academy.attendance_record, name="attendance_record"),
    # the sessions partner staff are invited to (partner staff only)
    path(
        "espace-partenaire/formations/",
        views_academy.partner_trainings,
        name="partner_trainings",
    ),
    path(
        "espace-partenaire/formations/<int:pk>/reponse/",
        views_academy.partner_training_reply,
        name="partner_training_reply",
    ),
    path("competences/", views_academy.skill_finder, name="skill_finder"),
    path("agents/<int:pk>/competences/", views_academy.agent_skills, name="agent_skills"),
    path("agents/<int:pk>/competences/evaluer/", views_academy.skill_assess, name="skill_assess"),
]
