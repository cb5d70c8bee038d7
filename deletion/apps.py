from django.apps import AppConfig


class DeletionConfig(AppConfig):
    name = "deletion"

    def ready(self) -> None:
        # Notula's own kinds of data join the registry once the models are loaded.
        from deletion import kinds  # noqa: F401
