from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partners as the core sees them: their commitments measured on the customers'
    requests, and their staff answering the requests escalated to them. The partners
    themselves (and their commitments) are agences' models."""

    name = "relation_client.partners"
    label = "partners"
    verbose_name = _("Partenaires")
