"""Ticketing data as the partner sends it: subscription contracts and monthly ridership."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubscriptionStatus(models.TextChoices):
    ACTIVE = "active", _("En cours")
    ENDED = "ended", _("Terminé")
    CANCELLED = "cancelled", _("Résilié")
    SUSPENDED = "suspended", _("Suspendu")


class SalesChannel(models.TextChoices):
    COUNTER = "counter", _("Guichet")
    WEB = "web", _("Site web")
    APP = "app", _("Application mobile")
    PHONE = "phone", _("Téléphone")
    MACHINE = "machine", _("Distributeur automatique")
    EMPLOYER = "employer", _("Employeur")


class Subscription(models.Model):
    """A subscription contract, as the ticketing partner knows it (upserted on its number)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="subscriptions",
        verbose_name=_("client"),
    )
    contract_number = models.CharField(_("numéro de contrat"), max_length=40, unique=True)
    product = models.CharField(_("produit"), max_length=120)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=SubscriptionStatus)
    sales_channel = models.CharField(_("canal de vente"), max_length=10, choices=SalesChannel)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="subscription_end_after_start",
            )
        ]
        # lapse detection: each customer's latest end date (DISTINCT ON customer)
        indexes = [models.Index(fields=["customer", "end_date"], name="subscription_customer_end")]

    def __str__(self) -> str:
        return f"{self.product} ({self.contract_number})"


class RidershipMonth(models.Model):
    """Trips of one customer in one calendar month (the month's first day)."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="ridership",
        verbose_name=_("client"),
        # the unique (customer, month) index serves lookups by customer
        db_index=False,
    )
    month = models.DateField(_("mois"))
    trips = models.PositiveIntegerField(_("voyages"))
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("fréquentation mensuelle")
        verbose_name_plural = _("fréquentations mensuelles")
        ordering = ["customer", "month"]
        constraints = [
            # the upsert key of the ridership import (ON CONFLICT (customer_id, month))
            models.UniqueConstraint(fields=["customer", "month"], name="ridership_customer_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="ridership_month_first_day"),
        ]
        # indicators: trips of every customer in a range of months
        indexes = [models.Index(fields=["month"], name="ridership_month")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} : {self.trips}"
