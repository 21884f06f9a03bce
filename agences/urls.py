from django.urls import path

from agences import views_academy, views_partner_space, views_partners

app_name = "agences"

urlpatterns = [
    # partners and their compliance (staff)
    path("partenaires/", views_partners.partner_list, name="partner_list"),
    path(
        "partenaires/<int:pk>/<int:year>/<int:month>/",
        views_partners.partner_compliance,
        name="partner_compliance",
    ),
    path("partenaires/recalcul/", views_partners.compliance_recompute, name="compliance_recompute"),
    # the partner space (partner staff only)
    path("espace-partenaire/", views_partner_space.partner_requests, name="partner_requests"),
    path(
        "espace-partenaire/<int:pk>/",
        views_partner_space.partner_request_detail,
        name="partner_request_detail",
    ),
    path(
        "espace-partenaire/<int:pk>/repondre/",
        views_partner_space.partner_request_answer,
        name="partner_request_answer",
    ),
    # academy and skills
    path("academie/", views_academy.academy, name="academy"),
    path("academie/sessions/<int:pk>/", views_academy.session_detail, name="session_detail"),
    path(
        "academie/sessions/<int:pk>/inscription/",
        views_academy.session_register,
        name="session_register",
    ),
    path("academie/presences/<int:pk>/", views_academy.attendance_record, name="attendance_record"),
    path("competences/", views_academy.skill_finder, name="skill_finder"),
    path("agents/<int:pk>/competences/", views_academy.agent_skills, name="agent_skills"),
    path("agents/<int:pk>/competences/evaluer/", views_academy.skill_assess, name="skill_assess"),
]
