"""The touchpoint form of the customer page, written by hand (_touchpoint_fields.html):
each field with its label, its help text and its error tied to it for a screen reader,
laid out in the rows of TouchpointForm.layout, the satellites' fields after the core's."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from relation_client.touchpoints.models import Channel, GestureKind, Touchpoint
from relation_client.touchpoints.services import gesture_grant

pytestmark = pytest.mark.django_db


def the_form(page: str) -> str:
    start = page.index('<form id="noter"')
    return page[start : page.index("</form>", start)]


def tag(html: str, pattern: str) -> str:
    """The one opening tag matching `pattern` (a regex on the whole tag)."""
    found = re.findall(pattern, html)
    assert len(found) == 1, (pattern, found)
    return found[0]


def test_each_field_has_its_label_and_the_layout_of_the_form(agent_client, helene):
    form = the_form(agent_client.get(helene.get_absolute_url()).content.decode())
    for name, label in [
        ("channel", "Canal"),
        ("direction", "Sens"),
        ("reason", "Motif"),
        ("summary", "Résumé de l&#x27;échange"),
        ("outcome", "Suite"),
        ("open_request", "Demande"),
        ("mood", "Humeur du client"),
        ("occurred_at", "Date et heure"),
        # the satellites' fields, after the core's
        ("estimate", "Selon vous, quelle note donnerait le client ?"),
        ("climate", "Climat de l&#x27;échange"),
        ("network_line", "Ligne citée"),
        ("compliment_agency", "Agence remerciée"),
    ]:
        assert f'<label for="id_{name}" class="form-label' in form, name
        assert f">{label}" in form, name
        tag(form, rf'<(?:select|textarea|input)[^>]* name="{name}"[^>]* id="id_{name}"[^>]*>')
    # a required field says so, next to its label; an optional one does not
    assert re.search(
        r'<label for="id_summary" class="form-label requiredField">Résumé de l&#x27;échange'
        r'<span class="asteriskField">\*</span></label>',
        form,
    )
    assert '<label for="id_mood" class="form-label">Humeur du client</label>' in form
    summary = tag(form, r"<textarea[^>]*>")
    assert "required" in summary and "autofocus" in summary and 'class="form-control"' in summary
    assert 'class="form-select"' in tag(form, r'<select name="channel"[^>]*>')
    # the help text is read with its field
    occurred = tag(form, r'<input[^>]* name="occurred_at"[^>]*>')
    assert 'aria-describedby="id_occurred_at_helptext"' in occurred
    assert '<div id="id_occurred_at_helptext" class="form-text">Laisser vide pour maintenant.' in (
        form
    )
    # the rows: channel, direction and reason side by side, the summary alone
    assert re.search(
        r'<div class="row">\s*<div class="col-md-4"><div id="div_id_channel" class="mb-3">', form
    )
    assert re.search(r'<div class="col-md-3"><div id="div_id_direction"', form)
    assert re.search(r'<div class="col-12"><div id="div_id_summary"', form)
    # a satellite's row under its legend; one CSRF token, not two
    assert "<fieldset><legend>" in form and "Pour un remerciement" in form
    assert form.count('name="csrfmiddlewaretoken"') == 1
    assert form.index('name="occurred_at"') < form.index('name="estimate"')


def test_a_channel_chosen_in_the_address_is_selected(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url(), {"canal": "email"}).content.decode()
    select = the_form(page).split('<select name="channel"')[1].split("</select>")[0]
    assert '<option value="email" selected>' in select
    assert '<option value="phone">' in select


def post(client, customer, htmx: bool, **fields):
    payload = {
        "channel": "phone",
        "direction": "inbound",
        "reason": "subscription",
        "summary": "Demande l'abonnement solidaire pour sa fille",
        "outcome": "",
        "mood": "neutral",
        **fields,
    }
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("customers:log_touchpoint", args=[customer.pk]), payload, headers=headers
    )


@pytest.mark.parametrize("htmx", [True, False])
def test_a_refused_field_says_why_to_a_screen_reader(agent_client, helene, htmx):
    response = post(agent_client, helene, htmx, summary="")
    assert response.status_code == 422
    form = the_form(response.content.decode())
    summary = tag(form, r"<textarea[^>]*>")
    assert 'class="form-control is-invalid"' in summary
    assert 'aria-invalid="true"' in summary
    assert 'aria-describedby="id_summary_error"' in summary
    assert re.search(
        r'<div id="id_summary_error" class="invalid-feedback"><strong>Ce champ est obligatoire.'
        r"</strong>",
        form,
    )
    # the fields without a fault are not marked
    assert "aria-invalid" not in tag(form, r'<select name="channel"[^>]*>')
    # what was typed stays
    assert '<option value="neutral" selected>' in form
    assert Touchpoint.objects.count() == 0


def test_a_refused_field_with_help_text_is_described_by_both(agent_client, helene):
    tomorrow = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = post(agent_client, helene, True, occurred_at=tomorrow)
    occurred = tag(the_form(response.content.decode()), r'<input[^>]* name="occurred_at"[^>]*>')
    assert 'class="form-control is-invalid"' in occurred and 'aria-invalid="true"' in occurred
    assert 'aria-describedby="id_occurred_at_helptext id_occurred_at_error"' in occurred
    assert f'value="{tomorrow}"' in occurred


def test_a_refused_choice_marks_its_list(agent_client, helene):
    response = post(agent_client, helene, True, channel="pigeon")
    form = the_form(response.content.decode())
    channel = tag(form, r'<select name="channel"[^>]*>')
    assert 'class="form-select is-invalid"' in channel and 'aria-invalid="true"' in channel
    assert "Sélectionnez un choix valide" in form


def test_the_history_shows_a_gesture_and_its_status(agent_client, helene, agent):
    gesture_grant(
        customer=helene,
        agent=agent,
        kind=GestureKind.FREE_TRIPS,
        value=Decimal("12.50"),
        reason="Tram supprimé sans information, 40 min d'attente",
        channel="counter",
    )
    Touchpoint.objects.create(
        customer=helene,
        agent=agent,
        agency=agent.agency,
        channel=Channel.PHONE,
        direction="inbound",
        reason_id=helene.touchpoints.get().reason_id,
        summary="Question sur les horaires d'été",
        occurred_at=timezone.now(),
    )
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    history = page[page.index('id="historique"') :]
    assert history.count("Voyages offerts 12,50 € (accordé)") == 1
    assert "Question sur les horaires d&#x27;été" in history


def test_choice_labels_follow_the_language_and_keep_an_unknown_value(agent):
    touchpoint = Touchpoint(channel=Channel.PHONE, direction="inbound")
    assert touchpoint.get_channel_display() == "Téléphone"
    with translation.override("en"):
        assert touchpoint.get_channel_display() == "Phone"
    assert touchpoint.get_channel_display() == "Téléphone"
    touchpoint.channel = "pigeon voyageur"  # a value of no choice is shown as stored
    assert touchpoint.get_channel_display() == "pigeon voyageur"


def test_choice_labels_are_read_once_per_field_and_language():
    from socle.choices import _labels

    touchpoint = Touchpoint(channel=Channel.EMAIL)
    touchpoint.get_channel_display()
    before = _labels.cache_info()
    for _ in range(5):
        touchpoint.get_channel_display()
    after = _labels.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (5, 0)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "channel": "pigeon",
            "summary": "Perte d'une carte « Solidaire » <urgent>",
            "estimate": "12",
        },
    ],
)
def test_the_widgets_written_in_python_say_what_djangos_templates_say(data):
    """bootstrap_widget writes selects, inputs and textareas without the templates: the
    same elements, attributes and options as Django's own rendering."""
    from django.test.html import parse_html

    from relation_client.customers.forms import TouchpointForm
    from relation_client.customers.templatetags.customers import bootstrap_widget

    form = TouchpointForm(data, initial={"channel": Channel.EMAIL})
    if data:
        assert not form.is_valid()
    for field in form:
        css = "form-select" if field.widget_type == "select" else "form-control"
        expected = field.as_widget(attrs={"class": f"{css} is-invalid" if field.errors else css})
        assert parse_html(bootstrap_widget(field)) == parse_html(expected), field.name
