from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Civility(models.TextChoices):
    MADAME = "mme", _("Mme")
    MONSIEUR = "m", _("M.")
    NONE = "", _("Sans civilité")


class Customer(models.Model):
    """A customer, known by name: the card number is never the first question."""

    civility = models.CharField(_("civilité"), max_length=3, choices=Civility, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    preferred_name = models.CharField(
        _("nom d'usage souhaité"),
        max_length=100,
        blank=True,
        help_text=_("Comment la personne aime être appelée, si ce n'est pas civilité et nom."),
    )
    preferred_language = models.CharField(_("langue préférée"), max_length=8, default="fr")
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    needs = models.TextField(_("besoins et préférences"), blank=True)
    tags = ArrayField(
        models.CharField(max_length=40), default=list, blank=True, verbose_name=_("étiquettes")
    )
    home_agency = models.ForeignKey(
        "agences.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("agence de rattachement"),
    )
    usual_contact = models.ForeignKey(
        "agences.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="usual_customers",
        verbose_name=_("interlocuteur habituel"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def salutation(self) -> str:
        """How to greet the person: their chosen name, else civility and full name."""
        if self.preferred_name:
            return self.preferred_name
        civility = self.get_civility_display() if self.civility else ""
        return f"{civility} {self.full_name}".strip()
