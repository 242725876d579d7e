from django.apps import AppConfig


class PlanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    verbose_name = "Plans and placements"

    def ready(self):
        from cases import data_quality, record_print, record_sections, work_panels
        from cases.demo import register_demo
        from cases.events import subscribe
        from cases.record_sections import RecordSection
        from planning import panels, services

        from .demo import seed_demo_outcomes, seed_demo_placements
        from .demo_plans import seed_demo_plans
        from .needed_fields import PLANNING_FIELDS

        record_sections.register(RecordSection("placements", "Placements", "child-placements", 45))
        record_sections.register(RecordSection("plans", "Plans and meetings", "child-plans", 42))
        work_panels.register(panels.plan_actions)
        for field in PLANNING_FIELDS:
            data_quality.register(field)
        record_print.register(50, panels.printed_plans)
        record_print.register(55, panels.printed_meetings)
        record_print.register(60, panels.printed_placements)
        register_demo(seed_demo_placements)
        register_demo(seed_demo_plans)
        register_demo(seed_demo_outcomes)
        subscribe("status_changed", services.on_status_changed)
