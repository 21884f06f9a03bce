"""The network: lines, stops, who rides them, and their disruptions.

A core app (not a satellite): the caller card and the customer page show the disruption a
customer was probably caught in, and the core never imports a satellite. What reconquest
measures about disruptions (lapse and win-back of contacted riders against the held-out
ones) belongs to the reconquete satellite, which may import this app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "relation_client.network"
    label = "network"
    verbose_name = _("Réseau et perturbations")

    def ready(self):
        # the app's own modules need the app registry: imported here, not at the top
        from relation_client.network import panels

        panels.register()
