from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = "Supervision and oversight"

    def ready(self):
        from cases import navigation, record_sections, work_panels
        from cases.demo import register_demo
        from cases.events import subscribe
        from cases.record_sections import RecordSection

        from . import panels, services
        from .demo import seed_demo_supervision

        record_sections.register(RecordSection("supervision", "Supervision and oversight", "child-supervision", 75))
        work_panels.register(panels.supervision_actions)
        subscribe("case_allocated", services.on_case_allocated)
        subscribe("status_changed", services.on_status_changed)
        subscribe("staff_practice_changed", services.on_staff_practice_changed)
        register_demo(seed_demo_supervision)
        navigation.register(navigation.NavItem("Supervision", "supervision", panels.has_supervision, order=27))
