from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "returns"
    verbose_name = "Statutory returns"

    def ready(self):
        from cases import navigation

        from .selectors import may_use_returns

        navigation.register(navigation.NavItem("Returns", "returns", may_use_returns, order=70))
