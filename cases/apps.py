from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases, people and organisation"

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules predicates)
