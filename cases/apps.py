from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases, people and organisation"

    def ready(self):
        from . import navigation, permissions

        navigation.register(navigation.NavItem("My work", "my-work", lambda user: True, order=0))
        navigation.register(navigation.NavItem("Timescales", "timescales", _in_an_authority, order=900))
        navigation.register(
            navigation.NavItem("Deadline calculator", "deadline-calculator", _in_an_authority, order=901)
        )
        navigation.register(
            navigation.NavItem("Admin", "admin:index", permissions.can_administer_authority.test, order=1000)
        )


def _in_an_authority(user) -> bool:
    return user.authority_id is not None
