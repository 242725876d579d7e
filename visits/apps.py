from django.apps import AppConfig


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = "Visits"

    def ready(self):
        from cases import navigation, record_print, record_sections, work_panels
        from cases.demo import register_demo
        from cases.events import subscribe
        from cases.record_sections import RecordSection

        from . import panels, services
        from .demo import seed_demo_visits
        from .schedule import VISIT_KEYS

        subscribe("status_changed", services.on_status_changed)
        subscribe("placement_changed", services.on_placement_changed)
        subscribe("adoption_changed", services.on_adoption_changed)
        record_sections.register(RecordSection("visits", "Visits", "child-visits", 25, VISIT_KEYS))
        work_panels.register(panels.visits_to_write_up)
        work_panels.register(panels.visit_actions)
        record_print.register(40, panels.printed_visits)
        register_demo(seed_demo_visits)
        navigation.register(navigation.NavItem("Visits due", "visits-due", panels.has_visits_due, order=15))
