"""The filter bar of the reconquest pages (reconquete/forms.py FilterBar, written by hand
in templates/reconquete/partials/_filter_bar.html): each field labelled, a refused value
marked on its field and said in French, a refused combination said above the fields."""

import re

from django.urls import reverse


def _bar(html: str) -> str:
    return re.search(
        r'<form action="[^"]*" class="row g-2 align-items-end" method="get">.*?</form>', html, re.S
    ).group(0)


def test_the_dashboard_bar_labels_every_field_and_keeps_the_choice(login, director, scolaires):
    bar = _bar(
        login(director)
        .get(reverse("reconquete:dashboard"), {"segment": scolaires.pk})
        .content.decode()
    )
    for name, label in (
        ("mois", "Mois"),
        ("agence", "Agence"),
        ("segment", "Segment"),
        ("campagne", "Campagne"),
    ):
        assert f'<label for="id_{name}" class="form-label">{label}</label>' in bar
    assert f'<option value="{scolaires.pk}" selected>' in bar
    assert 'name="filtrer" value="Afficher"' in bar


def test_an_agency_manager_has_no_agency_list(login, manager_lyon):
    bar = _bar(login(manager_lyon).get(reverse("reconquete:dashboard")).content.decode())
    assert 'name="agence"' not in bar and 'name="segment"' in bar


def test_a_refused_value_is_marked_on_its_field(login, director):
    bar = _bar(
        login(director).get(reverse("reconquete:dashboard"), {"mois": "décembre"}).content.decode()
    )
    field = re.search(r'<input type="month" name="mois"[^>]*>', bar).group(0)
    assert "is-invalid" in field and 'aria-invalid="true"' in field
    assert 'id="id_mois_error" class="invalid-feedback"' in bar


def test_a_segment_and_a_campaign_together_are_refused_above_the_fields(
    login, director, scolaires, make_campaign, agency_lyon
):
    campaign = make_campaign(director, [agency_lyon], status="running")
    response = login(director).get(
        reverse("reconquete:dashboard"), {"segment": scolaires.pk, "campagne": campaign.pk}
    )
    bar = _bar(response.content.decode())
    assert (
        'role="alert">Choisissez un segment ou une campagne : les deux ne se croisent pas.' in bar
    )
