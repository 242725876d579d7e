from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases, people and organisation"

    def ready(self):
        from . import navigation, permissions

        navigation.register(navigation.NavItem("My work", "my-work", lambda user: True, order=0))
        navigation.register(navigation.NavItem("Children", "children", _sees_children, order=10))
        navigation.register(navigation.NavItem("Team", "team", _manages_a_team, order=20))
        navigation.register(navigation.NavItem("Timescales", "timescales", _in_an_authority, order=900))
        navigation.register(
            navigation.NavItem("Deadline calculator", "deadline-calculator", _in_an_authority, order=901)
        )
        navigation.register(
            navigation.NavItem("Admin", "admin:index", permissions.can_administer_authority.test, order=1000)
        )


def _in_an_authority(user) -> bool:
    return user.authority_id is not None


def _sees_children(user) -> bool:
    from .selectors.children import can_see_children

    return can_see_children(user)


def _manages_a_team(user) -> bool:
    from .selectors.people import teams_managed_by

    return bool(teams_managed_by(user))
