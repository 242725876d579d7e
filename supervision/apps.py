from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = "Supervision and oversight"

    def ready(self):
        from cases import navigation, record_sections, work_panels
        from cases.record_sections import RecordSection

        from . import panels

        record_sections.register(RecordSection("supervision", "Supervision and oversight", "child-supervision", 75))
        work_panels.register(panels.supervision_actions)
        navigation.register(navigation.NavItem("Supervision", "supervision", panels.has_supervision, order=27))
