"""Accessibility: axe-core, run in the browser over every page each role reaches, finds no
violation of impact "serious" or "critical".

The pages are those of the permissions table (tests/permissions/table.py: one row per URL
of the project, with the roles that get in), opened in its world (tests/permissions/
conftest.py: two agencies, a member of staff per role, the partner's person, an object of
each kind — Hélène and her reconquest case, requests, alerts, a walk-in, a message to
identify, a campaign, a round of the loyalty cycle, an incivility report, a training
session…) with, added here, a request of Hélène's past its deadline (the pink overdue row
of the queue and of the inbox) and the dashboards' figures computed. For each role (the
staff roles of agences/roles.py, the partner's person, and a visitor not signed in) the
test signs in through the login form, then opens every GET page of the table that role
gets into, the links of the navigation bar, one page the role is refused (the French 403
inside the layout) and an unknown address (the 404). What is not a page — an htmx
fragment (shown inside a page that is checked), a CSV download, JSON — is left aside. On
each page the vendored axe-core (tests/support/axe/, no network) runs once.

A failure names the role, then for each page its address, each rule broken, its impact
and the CSS selectors of the elements at fault.
"""

import datetime
import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from agences import roles
from reconquete.services.indicators import snapshot_compute
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import requests_mark_breaches, touchpoint_log
from satisfaction.services import indicators_compute
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.conftest import PASSWORD
from tests.guard_rails_data.common import last_month
from tests.permissions.conftest import world  # noqa: F401 (the table's world, a fixture)
from tests.permissions.table import ANONYMOUS, DENIED, OK, PERSONAS, ROWS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[1] / "support" / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")
# the browser's pages: the table's GET rows (the API answers JSON; rows tried under other
# settings, such as DEBUG, are the same pages)
PAGES = [row for row in ROWS if row.method == "get" and not row.api and not row.settings]

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


def overdue_and_figures(w) -> None:
    """Hélène's request past its deadline (marked breached: the alerts say so too), and
    the snapshot rows the reconquest and satisfaction dashboards read."""
    w.overdue = touchpoint_log(
        agent=w.staff[roles.AGENT],
        customer=w.helene,
        channel="email",
        reason=Reason.objects.get(code="subscription"),
        summary="Remboursement de l'abonnement « Tout Lyon » après déménagement à Écully",
        occurred_at=timezone.now() - datetime.timedelta(days=12),
    ).request
    requests_mark_breaches()
    first = (last_month() - datetime.timedelta(days=45)).replace(day=1)
    snapshot_compute(period_from=first, period_to=last_month())
    indicators_compute(min_sample=1)


def pages_for(w, persona: str) -> list[str]:
    """The table's pages this persona gets into, then one it is refused and a 404."""
    paths, refused = [], []
    for row in PAGES:
        path = reverse(row.name, kwargs=row.kwargs(w, persona) if row.kwargs else None)
        if row.query:
            path += "?" + urlencode(row.query)
        expected = row.expected(persona)
        if expected == OK:
            paths.append(path)
        elif expected == DENIED:
            refused.append(path)
    extra = [reverse("touchpoints:request_detail", args=[w.overdue.pk])]
    extra.append(reverse("touchpoints:queue") + "?retard=1")
    return (
        paths
        + (extra if persona in roles.WORKSPACE_ROLES else [])
        + refused[:1]
        + ["/page-qui-n-existe-pas/"]
    )


def nav_links(page) -> list[str]:
    """The paths the navigation bar links to (its menus included), on this site."""
    hrefs = page.locator("nav.navbar-rc a[href]").evaluate_all("links => links.map((a) => a.href)")
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


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_serious_or_critical_axe_violation_on_any_page(page, live_server, persona, request):
    w = request.getfixturevalue("world")  # tests/permissions/conftest.py
    overdue_and_figures(w)
    if persona == ANONYMOUS:
        to_visit = []
    else:
        user = w.users[persona]
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        signed_in(page, live_server, user)
        to_visit = [page.url.removeprefix(live_server.url), *nav_links(page)]
    to_visit += pages_for(w, persona)

    seen, statuses, failures = set(), {}, []
    for path in to_visit:
        if path in seen:
            continue
        seen.add(path)
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a CSV or an attachment: a download, not a page
            assert "Download is starting" in error.message, (path, error.message)
            continue
        body = response.body().lstrip()[:20].lower() if response.ok else b"<!doctype"
        if not body.startswith(b"<!doctype"):
            continue  # an htmx fragment, JSON: not a page
        statuses[path] = response.status
        found = axe_violations(page)
        if found:
            failures.append((path, response.status, found))
        if persona == roles.AGENT and path in ("/", reverse("touchpoints:queue")):
            # the overdue rows, in pink, with their links: to look at
            name = "accueil" if path == "/" else "demandes"
            page.screenshot(path=ARTIFACTS / f"axe-{name}-en-retard.png", full_page=True)

    # the run covered real pages: the role's own work, and the error pages
    assert len(statuses) >= 3, statuses
    assert 404 in statuses.values(), statuses
    if persona != ANONYMOUS:
        assert 403 in statuses.values(), statuses
    report = [f"rôle {persona} : {len(failures)} page(s) sur {len(statuses)} en défaut"]
    for path, status, found in failures:
        report.append(f"{path} ({status})")
        for violation in found:
            report.append(
                f"  {violation['id']} [{violation['impact']}] {violation['help']} "
                f"— {len(violation['targets'])} élément(s) : {json.dumps(violation['targets'])}"
            )
            report.append(f"    {violation['detail'].splitlines()[-1].strip()}")
    assert not failures, "\n".join(report)
