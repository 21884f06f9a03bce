"""Field and on-board staff use a phone: at 390 × 844 px, over the demo network, every page
of an agent's, a supervisor's and a manager's menu fits the screen's width (tables scroll
inside their own frame), the menu button is visible on the bar's colour and opens the
menu, and the customer page reads in the order of a call: who it is, the exchange form,
the rest, then the history."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from relation_client.customers.models import Customer
from relation_client.touchpoints.models import Request
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}

# the lightest colour against the darkest, WCAG's contrast ratio, over the pixels of a PNG
# (the element's screenshot) that the page decodes itself: the corner pixel is the backdrop
ICON_CONTRAST = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (i) => 0.2126 * channel(pixels[i]) + 0.7152 * channel(pixels[i + 1]) + 0.0722 * channel(pixels[i + 2]);
  const backdrop = luminance(0);
  let best = 1;
  for (let i = 0; i < pixels.length; i += 4) {
    const l = luminance(i);
    best = Math.max(best, (Math.max(l, backdrop) + 0.05) / (Math.min(l, backdrop) + 0.05));
  }
  return best;
}"""

# what sticks out of the screen's width, outermost first, to name it in a failure
WIDEST = """() => {
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const box = e.getBoundingClientRect();
    if (box.right > innerWidth + 1 && !(e.parentElement.getBoundingClientRect().right > innerWidth + 1)) {
      out.push(`${e.tagName.toLowerCase()}.${e.className} (${Math.round(box.right)} px)`);
    }
  }
  return out.slice(0, 3);
}"""


@pytest.fixture
def demo_staff(db):
    """The demo network (a small one), its agent, supervisor and manager of Lyon Part-Dieu
    signing in with the tests' password."""
    call_command("seed_demo", customers=40)
    users = get_user_model().objects.filter(
        username__in=["agent.lyon", "superviseur.lyon", "manager.lyon"]
    )
    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return {user.username: user for user in users}


@pytest.fixture
def phone(browser, live_server):
    """phone(): a new phone's page (its own cookies), each checked for its Content Security
    Policy."""
    contexts, violations = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert violations == [], f"the page broke its Content Security Policy: {violations}"


def overflow(page) -> str | None:
    """None when the page fits the screen's width, else what is wider."""
    width, screen = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    if width <= screen:
        return None
    return f"{page.url}: {width} px for {screen} ({', '.join(page.evaluate(WIDEST))})"


def menu_opens(page) -> list[str]:
    """The menu button is visible on the bar (its lines at 3:1 at least, WCAG's contrast for
    a control), the menu opens with it; the addresses of the menu's pages."""
    toggler = page.get_by_role("button", name="Ouvrir le menu")
    expect(toggler).to_be_visible()
    icon = base64.b64encode(toggler.locator(".navbar-toggler-icon").screenshot()).decode()
    contrast = page.evaluate(ICON_CONTRAST, icon)
    assert contrast >= 3, f"the menu button's lines stand at {contrast:.2f}:1 on the bar"
    menu = page.locator("#nav-principal")
    expect(menu).to_be_hidden()
    toggler.click()
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Accueil")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    hrefs = menu.locator("a[href^='/']").evaluate_all("links => links.map(a => a.pathname)")
    return list(dict.fromkeys(hrefs))


def menu_pages_wider_than_the_screen(page, extra: list[str]) -> list[str]:
    """The pages of the menu (opened with its button), then `extra`: those wider than the
    screen, and why."""
    pages = [*menu_opens(page), *extra]
    assert len(pages) >= 12, pages
    wider = []
    for address in pages:
        response = page.goto(address)
        assert response.ok, f"{address}: {response.status}"
        wider.append(overflow(page))
    return [line for line in wider if line]


# one test: the demo network takes a while to build
def test_a_phone_fits_every_page_of_an_agent_a_supervisor_and_a_manager(
    phone, live_server, demo_staff
):
    helene = Customer.objects.get(first_name="Hélène", last_name="Dupont-Lefèvre")
    request = Request.objects.filter(agency__name="Lyon Part-Dieu").order_by("pk").first()
    number = helene.contact_points.filter(kind="phone").values_list("value", flat=True)[0]
    extra = [
        helene.get_absolute_url(),
        request.get_absolute_url(),
        f"/clients/appel/?phone={number}",
    ]
    for username in ["agent.lyon", "superviseur.lyon", "manager.lyon"]:
        page = signed_in(phone(), live_server, demo_staff[username])
        assert menu_pages_wider_than_the_screen(page, extra) == [], username

    # the customer page reads in the order of a call
    page.goto(helene.get_absolute_url())
    main = page.locator("main")
    parts = [
        main.get_by_role("complementary", name="Fiche client"),
        main.get_by_role("form", name="Noter un échange avec Mme Hélène Dupont-Lefèvre"),
        main.get_by_role("region", name="Consentements"),
        main.get_by_role("region", name="Historique, tous canaux"),
    ]
    for part in parts:
        expect(part).to_be_visible()
    # measured at once, in the page's coordinates (the form's autofocus scrolls the page)
    boxes = main.evaluate(
        """(main, selectors) => selectors.map((selector) => {
             const box = main.querySelector(selector).getBoundingClientRect();
             return {x: box.left, top: box.top + scrollY, bottom: box.bottom + scrollY};
           })""",
        ["aside", "#noter", "#consentements", "section[aria-labelledby=titre-historique]"],
    )
    # one column, in this order: the caller's card, the form, consents, the history
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above["bottom"] <= below["top"], boxes
    assert {round(box["x"]) for box in boxes} == {round(boxes[0]["x"])}, boxes
    page.screenshot(path=ARTIFACTS / "telephone-fiche-client.png", full_page=True)
    page.goto("/satisfaction/")
    page.screenshot(path=ARTIFACTS / "telephone-satisfaction.png", full_page=True)
