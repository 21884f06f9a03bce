"""Ridership months live in monthly partitions (migration 0004, reconquete.partitions)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from reconquete import partitions
from reconquete.models import RidershipMonth
from reconquete.tasks import ridership_partitions

pytestmark = pytest.mark.django_db


def partition_of(row: RidershipMonth) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM reconquete_ridershipmonth WHERE id = %s",
            [row.pk],
        )
        return cursor.fetchone()[0]


def test_the_table_is_partitioned_by_month_around_today():
    assert partitions.is_partitioned()
    months = partitions.existing_months()
    this_month = datetime.date.today().replace(day=1)
    assert partitions.add_months(this_month, -24) in months
    assert partitions.add_months(this_month, 12) in months


def test_a_month_goes_to_its_partition(make_customer):
    helene = make_customer("Hélène", "Dupont-Lefèvre")
    row = RidershipMonth.objects.create(customer=helene, month=datetime.date(2026, 3, 1), trips=12)
    assert partition_of(row) == "reconquete_ridershipmonth_y2026m03"
    assert RidershipMonth.objects.get(pk=row.pk).trips == 12


def test_one_row_per_customer_and_month_across_the_partitions(make_customer):
    helene = make_customer("Hélène", "Dupont-Lefèvre")
    RidershipMonth.objects.create(customer=helene, month=datetime.date(2026, 3, 1), trips=12)
    with pytest.raises(IntegrityError), transaction.atomic():
        RidershipMonth.objects.create(customer=helene, month=datetime.date(2026, 3, 1), trips=3)


def test_a_month_beyond_the_partitions_waits_in_default_then_moves(make_customer):
    jerome = make_customer("Jérôme", "Gaël-Noël")
    far = datetime.date(2031, 7, 1)
    row = RidershipMonth.objects.create(customer=jerome, month=far, trips=9)
    assert partition_of(row) == partitions.DEFAULT

    created = partitions.partitions_ensure(first=far, last=far)

    assert created == ["reconquete_ridershipmonth_y2031m07"]
    assert partition_of(row) == "reconquete_ridershipmonth_y2031m07"
    assert RidershipMonth.objects.filter(customer=jerome, month=far).count() == 1
    assert partitions.partitions_ensure(first=far, last=far) == []  # idempotent


def test_the_daily_job_keeps_a_year_ahead():
    assert ridership_partitions() == []  # the migration made them
    assert partitions.add_months(datetime.date.today().replace(day=1), 12) in (
        partitions.existing_months()
    )
