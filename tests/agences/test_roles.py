import pytest
from django.contrib.auth.models import Group, Permission

from agences import roles

# role -> (permissions it must hold, permissions it must not hold)
EXPECTED = {
    roles.AGENT: (
        ["agences.view_agency"],
        [
            "agences.approve_gesture",
            "agences.view_agency_figures",
            "agences.use_privacy_tools",
            "agences.view_network_figures",
        ],
    ),
    roles.SUPERVISOR: (
        ["agences.approve_gesture", "agences.merge_customers", "agences.view_agency_figures"],
        ["agences.manage_campaigns", "agences.view_network_figures"],
    ),
    roles.MANAGER: (
        ["agences.manage_campaigns", "agences.change_agent", "agences.approve_gesture"],
        ["agences.view_network_figures", "agences.use_privacy_tools"],
    ),
    roles.NETWORK_DIRECTOR: (
        ["agences.view_network_figures", "agences.manage_campaigns"],
        ["agences.use_privacy_tools"],
    ),
    roles.DPO: (
        ["agences.use_privacy_tools"],
        ["agences.view_agency_figures", "agences.approve_gesture"],
    ),
    roles.ADMINISTRATOR: (
        ["agences.use_privacy_tools", "agences.view_network_figures", "auth.change_user"],
        [],
    ),
}


@pytest.mark.django_db
def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_PERMISSIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_permissions(make_staff, agency_lyon, role):
    agent = make_staff(f"personne-{role}", "Gaëlle Béranger", role, agency_lyon)
    allowed, refused = EXPECTED[role]
    for permission in allowed:
        assert agent.user.has_perm(permission), f"{role} should have {permission}"
    for permission in refused:
        assert not agent.user.has_perm(permission), f"{role} must not have {permission}"


@pytest.mark.django_db
def test_administrator_holds_every_permission():
    group = Group.objects.get(name=roles.ADMINISTRATOR)
    assert group.permissions.count() == Permission.objects.count()


@pytest.mark.django_db
def test_roles_sync_is_idempotent_and_repairs_drift():
    group = Group.objects.get(name=roles.SUPERVISOR)
    group.permissions.clear()
    roles.roles_sync()
    roles.roles_sync()
    assert group.permissions.count() == len(roles.ROLE_PERMISSIONS[roles.SUPERVISOR])
    assert Group.objects.filter(name=roles.SUPERVISOR).count() == 1


@pytest.mark.django_db
def test_role_of_picks_the_highest_role(make_staff, agency_lyon):
    agent = make_staff("noemie", "Noémie Faure", roles.AGENT, agency_lyon)
    assert roles.role_of(agent.user) == roles.AGENT
    agent.user.groups.add(Group.objects.get(name=roles.MANAGER))
    assert roles.role_of(agent.user) == roles.MANAGER


@pytest.mark.django_db
def test_managers_edit_the_reference_lists_agents_do_not(make_staff, agency_lyon):
    manager = make_staff("gerant", "François Lemaire", roles.MANAGER, agency_lyon)
    agent = make_staff("guichet", "Loïc Faure", roles.AGENT, agency_lyon)
    for permission in [
        "touchpoints.change_reason",
        "touchpoints.change_channelcommitment",
        "touchpoints.change_gesturelimit",
        "customers.change_segment",
    ]:
        assert manager.user.has_perm(permission)
        assert not agent.user.has_perm(permission)
