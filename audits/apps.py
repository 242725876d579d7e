from django.apps import AppConfig


class AuditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audits"
    verbose_name = "Case audits"

    def ready(self):
        from cases import navigation, work_panels
        from cases.demo import register_demo
        from cases.selectors.digests import register_waiting

        from . import digest, panels
        from .demo import seed_demo_audits

        work_panels.register(panels.audit_actions)
        register_waiting(digest.KIND)
        work_panels.register(panels.assigned_audits)
        register_demo(seed_demo_audits)
        navigation.register(navigation.NavItem("Audits", "audits", panels.has_audits, order=60))
