"""Response deadlines count the agency's working time and skip French public holidays."""

import pytest

from relation_client.touchpoints.deadlines import (
    add_working_days,
    commitment_rule,
    deadline_by_rule,
    deadline_for,
    is_public_holiday,
    working_minutes_between,
)
from relation_client.touchpoints.models import ChannelCommitment
from tests.support.time import paris

pytestmark = pytest.mark.django_db

WEEKDAYS_9_TO_17 = {str(day): [["09:00", "17:00"]] for day in range(1, 6)}


@pytest.fixture
def weekday_agency(agency_villeurbanne):
    agency_villeurbanne.opening_hours = WEEKDAYS_9_TO_17
    agency_villeurbanne.save()
    return agency_villeurbanne


@pytest.fixture
def lunch_break_agency(agency_villeurbanne):
    """Closed from noon to two on weekdays."""
    agency_villeurbanne.opening_hours = {
        str(day): [["09:00", "12:00"], ["14:00", "18:00"]] for day in range(1, 6)
    }
    agency_villeurbanne.save()
    return agency_villeurbanne


@pytest.fixture
def email_in_hours():
    """A manager who really means 48 hours of opening time (not the default any more)."""
    ChannelCommitment.objects.filter(channel="email").update(amount=48, unit="working_hours")


def test_email_48_working_hours_skip_the_weekend(weekday_agency, email_in_hours):
    # Thursday 10:00, 8 h a day: Thu 7 h, Fri 8 h (15), no weekend, Mon 23, Tue 31,
    # Wed 39, Thu 47, and the 48th hour on Friday 9:00–10:00
    start = paris(2026, 11, 12, 10, 0)
    assert deadline_for(agency=weekday_agency, channel="email", start=start) == paris(
        2026, 11, 20, 10, 0
    )


def test_email_in_working_hours_with_the_default_hours_counts_saturday_morning(
    agency_lyon, email_in_hours
):
    # Thu 10:00 → 8 h, Fri 9.5 (17.5), Sat 3.5 (21), Sun closed, Mon 9.5 (30.5),
    # Tue 9.5 (40), then 8 h from Wednesday 8:30
    start = paris(2026, 11, 12, 10, 0)
    assert deadline_for(agency=agency_lyon, channel="email", start=start) == paris(
        2026, 11, 18, 16, 30
    )


def test_letter_5_working_days_skip_christmas(agency_lyon):
    # Wed 23 (1), Thu 24 (2), Fri 25 December is a public holiday, Sat 26 (3),
    # Sun closed, Mon 28 (4), Tue 29 (5): at the same time of day
    assert is_public_holiday(paris(2026, 12, 25).date())
    start = paris(2026, 12, 22, 10, 0)
    assert deadline_for(agency=agency_lyon, channel="letter", start=start) == paris(
        2026, 12, 29, 10, 0
    )


def test_letter_5_working_days_skip_labour_day(weekday_agency):
    # Thu 30 April (1), Fri 1 May is a public holiday, Mon 4 (2), Tue 5 (3), Wed 6 (4),
    # Thu 7 May (5) — before Friday 8 May, another holiday — at the same time of day
    start = paris(2026, 4, 29, 15, 0)
    assert deadline_for(agency=weekday_agency, channel="letter", start=start) == paris(
        2026, 5, 7, 15, 0
    )


def test_social_media_one_hour_during_opening(agency_lyon):
    start = paris(2026, 11, 16, 10, 15)
    assert deadline_for(agency=agency_lyon, channel="social_media", start=start) == paris(
        2026, 11, 16, 11, 15
    )


def test_social_media_one_hour_runs_over_to_the_next_opening(agency_lyon):
    # Monday 17:30: 30 minutes before closing, 30 more from Tuesday 8:30
    start = paris(2026, 11, 16, 17, 30)
    assert deadline_for(agency=agency_lyon, channel="social_media", start=start) == paris(
        2026, 11, 17, 9, 0
    )


def test_social_media_one_hour_skips_the_lunch_break(lunch_break_agency):
    # Monday 11:30: 30 minutes before the noon closing, 30 more from the 14:00 reopening
    start = paris(2026, 11, 16, 11, 30)
    assert deadline_for(agency=lunch_break_agency, channel="social_media", start=start) == paris(
        2026, 11, 16, 14, 30
    )


def test_a_message_sent_during_the_lunch_break_counts_from_the_reopening(lunch_break_agency):
    start = paris(2026, 11, 16, 12, 45)
    assert deadline_for(agency=lunch_break_agency, channel="social_media", start=start) == paris(
        2026, 11, 16, 15, 0
    )


def test_email_48_working_hours_count_seven_hours_a_day_around_lunch(
    lunch_break_agency, email_in_hours
):
    # 9–12 and 14–18: 7 h a day. Monday 9:00 → Mon 7, Tue 14, Wed 21, Thu 28, Fri 35,
    # Mon 42, then 6 h on Tuesday: 9–12 (45) and 14–17 (48)
    start = paris(2026, 11, 16, 9, 0)
    assert deadline_for(agency=lunch_break_agency, channel="email", start=start) == paris(
        2026, 11, 24, 17, 0
    )


def test_a_rule_counts_working_days_or_working_hours(weekday_agency):
    # Friday 16:00 at an agency open 9–17 on weekdays: two working days is Tuesday 16:00,
    # two working hours is Monday 10:00 (one hour on Friday, one on Monday)
    start = paris(2026, 11, 13, 16, 0)
    days, hours = ChannelCommitment.Unit.WORKING_DAYS, ChannelCommitment.Unit.WORKING_HOURS
    assert deadline_by_rule(weekday_agency, start, 2, days) == paris(2026, 11, 17, 16, 0)
    assert deadline_by_rule(weekday_agency, start, 2, hours) == paris(2026, 11, 16, 10, 0)


def test_a_commitment_set_by_a_manager_changes_the_deadline(agency_lyon):
    ChannelCommitment.objects.filter(channel="phone").update(amount=2, unit="working_hours")
    start = paris(2026, 11, 16, 10, 0)
    assert deadline_for(agency=agency_lyon, channel="phone", start=start) == paris(
        2026, 11, 16, 12, 0
    )


def test_the_request_opened_by_a_call_takes_the_deadline_and_the_segment_priority(
    log, make_customer, segment_priority, agency_lyon
):
    customer = make_customer(
        "Aïcha", "Diallo", segment=segment_priority("Personnes à mobilité réduite")
    )
    when = paris(2026, 11, 16, 10, 0)
    request = log(customer, occurred_at=when).request
    # the reduced-mobility segment shortens the channel's commitment (issue 20)
    assert request.deadline == deadline_for(
        agency=agency_lyon, channel="phone", start=when, segment=customer.segment
    )
    assert request.deadline < deadline_for(agency=agency_lyon, channel="phone", start=when)
    assert request.priority == 1


# --- "48 heures ouvrées" is two working days (issue 14) ---------------------------------

WEEKDAYS_9_TO_17_30 = {str(day): [["09:00", "17:30"]] for day in range(1, 6)}
LUNCH_9_12_13_30_17_30 = {str(day): [["09:00", "12:00"], ["13:30", "17:30"]] for day in range(1, 6)}


@pytest.fixture
def agency_17_30(agency_villeurbanne):
    agency_villeurbanne.opening_hours = WEEKDAYS_9_TO_17_30
    agency_villeurbanne.save()
    return agency_villeurbanne


@pytest.fixture
def agency_lunch(agency_villeurbanne):
    agency_villeurbanne.opening_hours = LUNCH_9_12_13_30_17_30
    agency_villeurbanne.save()
    return agency_villeurbanne


def test_the_defaults_are_the_usual_french_ones():
    commitments = {c.channel: (c.amount, c.unit) for c in ChannelCommitment.objects.all()}
    days, hours = "working_days", "working_hours"
    assert commitments == {
        "social_media": (1, hours),
        "phone": (1, days),
        "counter": (1, days),
        "on_board": (1, days),
        "mobile_app": (2, days),
        "email": (2, days),
        "web_form": (2, days),
        "letter": (5, days),
    }


def test_an_email_on_friday_at_17_30_is_due_on_tuesday_at_17_30(agency_17_30):
    start = paris(2026, 11, 20, 17, 30)
    assert deadline_for(agency=agency_17_30, channel="email", start=start) == paris(
        2026, 11, 24, 17, 30
    )


def test_the_same_time_of_day_two_working_days_later(agency_17_30):
    start = paris(2026, 11, 19, 10, 15)  # Thursday → Monday, the weekend skipped
    assert add_working_days(agency_17_30, start, 2) == paris(2026, 11, 23, 10, 15)


@pytest.mark.parametrize(
    "start",
    [
        paris(2026, 11, 20, 19, 0),  # Friday evening, after closing
        paris(2026, 11, 21, 11, 0),  # Saturday, closed
        paris(2026, 11, 23, 7, 30),  # Monday before opening: Monday and Tuesday whole
    ],
)
def test_outside_opening_hours_two_working_days_end_at_tuesday_closing(agency_17_30, start):
    assert add_working_days(agency_17_30, start, 2) == paris(2026, 11, 24, 17, 30)


def test_a_public_holiday_in_between_is_not_a_working_day(agency_17_30):
    # Monday 9 November 17:30: Tue 10 (1), Wednesday 11 November is a holiday, Thu 12 (2)
    assert is_public_holiday(paris(2026, 11, 11).date())
    start = paris(2026, 11, 9, 17, 30)
    assert deadline_for(agency=agency_17_30, channel="email", start=start) == paris(
        2026, 11, 12, 17, 30
    )


def test_easter_monday_pushes_friday_17_30_to_wednesday(agency_17_30):
    start = paris(2027, 3, 26, 17, 30)  # Friday before Easter Monday, 29 March 2027
    assert deadline_for(agency=agency_17_30, channel="email", start=start) == paris(
        2027, 3, 31, 17, 30
    )


def test_working_days_land_in_the_lunch_break_at_the_morning_closing(agency_lunch):
    # sent during Friday's lunch break: due on Tuesday before the break, at 12:00
    start = paris(2026, 11, 20, 12, 45)
    assert add_working_days(agency_lunch, start, 2) == paris(2026, 11, 24, 12, 0)


def test_working_hours_skip_the_lunch_break_9_12_13_30_17_30(agency_lunch):
    # 8 working hours from Monday 10:00: 10–12 (2), 13:30–17:30 (6), Tuesday 9–11 (8)
    ChannelCommitment.objects.filter(channel="phone").update(amount=8, unit="working_hours")
    start = paris(2026, 11, 16, 10, 0)
    assert deadline_for(agency=agency_lunch, channel="phone", start=start) == paris(
        2026, 11, 17, 11, 0
    )
    # and counted back: 7 h a day, the break excluded
    assert working_minutes_between(agency_lunch, start, paris(2026, 11, 17, 11, 0)) == 8 * 60
    monday, tuesday = paris(2026, 11, 16, 9, 0), paris(2026, 11, 17, 9, 0)
    assert working_minutes_between(agency_lunch, monday, tuesday) == 7 * 60


def test_the_rule_in_words():
    assert commitment_rule(amount=2, unit="working_days") == "2 jours ouvrés"
    assert commitment_rule(amount=1, unit="working_days") == "1 jour ouvré"
    assert (
        commitment_rule(amount=8, unit="working_hours", lunch_break=True)
        == "8 heures ouvrées · pause déjeuner exclue"
    )
    assert commitment_rule(amount=2, unit="working_days", lunch_break=True) == "2 jours ouvrés"
