"""Accessibility: axe-core, run in the browser over every page each role reaches, finds no
violation of impact "serious" or "critical".

For each role (the staff roles of agences/roles.py, the partner's person, and a visitor
who is not signed in), the test builds the guard rails' data set (tests/guard_rails_data:
Lyon's team, Hélène and her requests, a campaign with its reconquest cases, a round of
the loyalty cycle, an incivility report, a training session…), adds a request past its
deadline (the pink overdue row of the queue and the inbox), signs in through the login
form, then opens the links of the navigation bar and the key detail pages — whatever
they answer for that role: a page, or the French 403 / 404 inside the layout, which are
pages too. On each, the vendored axe-core (tests/support/axe/, no network) runs once.

A failure names the role, then for each page its address, each rule broken, its impact
and the CSS selectors of the elements at fault.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from relation_client.touchpoints.services import requests_mark_breaches, touchpoint_log
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.conftest import PASSWORD
from tests.guard_rails_data import (
    SHARED_PHONE,
    last_month,
    paris_now,
    world_build,
    world_grow,
    world_recompute,
)
from tests.guard_rails_data.common import _staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[1] / "support" / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")

# the World attribute of each role's person (None: a visitor, not signed in)
ROLES = {
    roles.AGENT: "agent",
    roles.SUPERVISOR: "supervisor",
    roles.MANAGER: "manager",
    roles.NETWORK_DIRECTOR: "director",
    roles.DPO: "dpo",
    roles.ADMINISTRATOR: "administrator",
    roles.PARTNER: "partner_user",
    "visiteur": None,
}

# runs in the page: axe once over the whole document, the blocking violations only; and
# the page's main heading, which axe only calls "moderate" when it lacks (page-has-heading-one)
# and does not count: one h1, inside <main>, on every page
RUN_AXE = """async (blocking) => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  const found = results.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
      detail: v.nodes[0].failureSummary,
    }));
  const headings = [...document.querySelectorAll("h1")];
  if (headings.length !== 1 || !headings[0].closest("main")) {
    found.push({
      id: "titre-principal",
      impact: "serious",
      help: "Une page a un titre principal (h1), un seul, dans <main>",
      targets: headings.map((h) => h.outerHTML.slice(0, 80)),
      detail: `${headings.length} h1 dans la page`,
    });
  }
  return found;
}"""


def world_for_axe():
    """The guard rails' world with two rows in every list, an administrator, and one
    request of Hélène's past its deadline (marked breached: the alerts say so too)."""
    w = world_build()
    world_grow(w, 0, 2)
    world_recompute(w)
    w.administrator = _staff("emilie", "Émilie Chauvin", roles.ADMINISTRATOR, w.lyon)
    w.overdue = touchpoint_log(
        agent=w.agent,
        customer=w.helene,
        channel="email",
        reason=w.question,
        summary="Remboursement de l'abonnement « Tout Lyon » après déménagement à Écully",
        occurred_at=timezone.now() - datetime.timedelta(days=12),
    ).request
    requests_mark_breaches()
    return w


def pages_to_visit(w) -> list[str]:
    """The key pages beyond the navigation bar: detail pages, forms, error pages."""
    month = last_month().strftime("%Y-%m")
    now = paris_now()
    with_case = w.customers[0]  # a reconquest case (its banner on the customer page)
    return [
        reverse("home"),
        reverse("customers:search") + "?q=Dupont",
        reverse("customers:incoming_call") + "?phone=" + SHARED_PHONE.replace(" ", ""),
        reverse("customers:detail", args=[w.helene.pk]),
        reverse("customers:detail", args=[with_case.pk]),
        reverse("customers:edit", args=[w.helene.pk]),
        reverse("customers:create"),
        reverse("touchpoints:queue"),
        reverse("touchpoints:queue") + "?retard=1",
        reverse("touchpoints:request_detail", args=[w.request.pk]),
        reverse("touchpoints:request_detail", args=[w.overdue.pk]),
        reverse("touchpoints:alerts"),
        reverse("touchpoints:gestures"),
        reverse("touchpoints:walkin_list"),
        reverse("reconquete:dashboard"),
        reverse("reconquete:drilldown", args=["lost"]) + f"?du={month}&au={month}",
        reverse("reconquete:campaign_detail", args=[w.campaign.pk]),
        reverse("reconquete:campaign_create"),
        reverse("reconquete:settings"),
        reverse("reconquete:renewals"),
        reverse("satisfaction:dashboard"),
        reverse("satisfaction:drilldown", args=["reponses"])
        + f"?periode=month&debut={last_month().isoformat()}",
        reverse("satisfaction:incivility_detail", args=[w.incivility.pk]),
        reverse("satisfaction:incivility_create"),
        reverse("cycle:board"),
        reverse("cycle:round_detail", args=[w.round.pk]),
        reverse("quality:index"),
        reverse("agences:session_detail", args=[w.session.pk]),
        reverse("agences:agent_skills", args=[w.agent.pk]),
        reverse("agences:partner_compliance", args=[w.partner.pk, now.year, now.month]),
        reverse("agences:partner_requests"),
        reverse("agences:partner_request_detail", args=[w.escalated.pk]),
        reverse("privacy:index") + f"?fiche={w.helene.pk}&q=Dupont",
        reverse("privacy:customer", args=[w.helene.pk]),
        reverse("privacy:retention"),
        reverse("password_change"),
        reverse("contact:form"),
        "/page-qui-n-existe-pas/",  # the 404
    ]


def nav_links(page) -> list[str]:
    """The paths the navigation bar links to (its menus included), on this site."""
    hrefs = page.locator("nav.navbar-rc a[href]").evaluate_all(
        "links => links.map((a) => a.href)"
    )
    site = urlsplit(page.url).netloc
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.netloc == site and parts.path and not parts.fragment:
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def axe_violations(page) -> list[dict]:
    # what htmx loads with the page (the hint under a form) is part of it
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, list(BLOCKING))


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_or_critical_axe_violation_on_any_page(page, live_server, role):
    w = world_for_axe()
    person = ROLES[role]
    if person is None:
        page.goto("/connexion/")
        to_visit = [reverse("login"), reverse("password_reset"), reverse("contact:form")]
    else:
        user = getattr(getattr(w, person), "user", getattr(w, person))
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        signed_in(page, live_server, user)
        to_visit = [page.url.removeprefix(live_server.url)]
        to_visit += nav_links(page)
    to_visit += pages_to_visit(w)

    seen, statuses, failures = set(), {}, []
    for path in to_visit:
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        statuses[path] = response.status
        found = axe_violations(page)
        if role == roles.AGENT and path in ("/", reverse("touchpoints:queue")):
            # the overdue rows, in pink, with their links: to look at
            name = "accueil" if path == "/" else "demandes"
            page.screenshot(path=ARTIFACTS / f"axe-{name}-en-retard.png", full_page=True)
        if found:
            failures.append((path, response.status, found))

    # the run covered real pages: the role's own work, and the error pages
    assert len(seen) >= 10, seen
    assert 404 in statuses.values(), statuses
    report = [f"rôle {role} : {len(failures)} page(s) sur {len(seen)} en défaut"]
    for path, status, found in failures:
        report.append(f"{path} ({status})")
        for violation in found:
            report.append(
                f"  {violation['id']} [{violation['impact']}] {violation['help']} "
                f"— {len(violation['targets'])} élément(s) : {json.dumps(violation['targets'])}"
            )
            report.append(f"    {violation['detail'].splitlines()[-1].strip()}")
    assert not failures, "\n".join(report)
