from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "relation_client.dataset"
    label = "dataset"
    verbose_name = "Jeu de données généré"
