"""The partner role: the one permission of the partner space, nothing of the workspace."""

import pytest
from django.contrib.auth.models import Group

from agences import roles

pytestmark = pytest.mark.django_db


def test_the_partner_role_holds_only_the_partner_space(gerard):
    group = Group.objects.get(name=roles.PARTNER)
    assert [p.codename for p in group.permissions.all()] == ["answer_escalated_requests"]
    assert gerard.has_perm("agences.answer_escalated_requests")
    for permission in [
        "agences.view_agency",
        "agences.view_agency_figures",
        "cycle.view_round",
        "touchpoints.view_request",
    ]:
        assert not gerard.has_perm(permission)
    assert roles.role_of(gerard) == roles.PARTNER


def test_cycle_permissions_by_role(make_staff, agency_lyon):
    supervisor = make_staff("sup", "Nathalie Girard", roles.SUPERVISOR, agency_lyon)
    manager = make_staff("man", "François Lemaire", roles.MANAGER, agency_lyon)
    agent = make_staff("age", "Camille Rousseau", roles.AGENT, agency_lyon)
    assert supervisor.user.has_perm("cycle.view_round")
    assert not supervisor.user.has_perm("cycle.steer_cycle")
    assert manager.user.has_perm("cycle.steer_cycle")
    assert not agent.user.has_perm("cycle.view_round")
    assert manager.user.has_perm("agences.change_partnercommitment")
    assert not supervisor.user.has_perm("agences.change_partnercommitment")
