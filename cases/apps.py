from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"
    verbose_name = "Cases, people and organisation"

    def ready(self):
        from . import data_quality, navigation, permissions, printed_parts, record_print, record_sections, tasks
        from .demo import register_demo
        from .demo_alerts import seed_demo_alerts
        from .needed_fields import CHILD_FIELDS
        from .record_sections import RecordSection
        from .services.performance_rollup import buckets_marked

        for order, (name, label, url_name) in enumerate(
            [
                ("overview", "Overview", "child"),
                ("details", "Details and addresses", "child-details"),
                ("family", "Family, network and professionals", "child-family"),
                ("status", "Legal status", "child-status"),
                ("notes", "Case notes", "case-notes"),
                ("chronology", "Chronology", "chronology"),
                ("summary", "Case summary", "case-summary"),
            ]
        ):
            record_sections.register(RecordSection(name, label, url_name, order * 10))

        for order, part in enumerate((printed_parts.statuses, printed_parts.allocations, printed_parts.people)):
            record_print.register(order * 10, part)
        record_print.register(80, printed_parts.case_notes)
        record_print.register(90, printed_parts.chronology)

        register_demo(seed_demo_alerts)
        buckets_marked.connect(tasks.refresh_performance_rollup_soon)
        for field in CHILD_FIELDS:
            data_quality.register(field)
        navigation.register(navigation.NavItem("My work", "my-work", lambda user: True, order=0))
        navigation.register(navigation.NavItem("Children", "children", _sees_children, order=10))
        navigation.register(navigation.NavItem("Team", "team", _manages_a_team, order=20))
        navigation.register(
            navigation.NavItem("Closures and transfers", "closure-requests", _decides_closures, order=30)
        )
        navigation.register(navigation.NavItem("Performance", "performance", _sees_performance, order=40))
        navigation.register(navigation.NavItem("Data quality", "data-quality", _sees_performance, order=45))
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


def _sees_performance(user) -> bool:
    from .selectors.performance import may_see_performance

    return may_see_performance(user)


def _manages_a_team(user) -> bool:
    from .selectors.people import teams_managed_by

    return bool(teams_managed_by(user))


def _decides_closures(user) -> bool:
    from .roles import Role
    from .selectors.people import has_role

    return has_role(user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
