from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "Assessments and enquiries"

    def ready(self):
        from assessments import digest, panels
        from assessments.services import assessments as assessment_services
        from assessments.services import enquiries as enquiry_services
        from cases import navigation, record_print, record_sections, work_panels
        from cases.demo import register_demo
        from cases.events import subscribe
        from cases.record_sections import RecordSection
        from cases.selectors.digests import register_waiting

        from .demo import seed_demo_assessments, seed_demo_strategy_discussion

        record_sections.register(RecordSection("assessments", "Assessments", "child-assessments", 35))
        record_sections.register(RecordSection("strategy", "Strategy and enquiries", "child-strategy", 55))
        work_panels.register(panels.returned_assessments)
        work_panels.register(panels.awaiting_sign_off)
        record_print.register(30, panels.printed_assessments)
        register_waiting(digest.KIND)
        register_demo(seed_demo_assessments)
        register_demo(seed_demo_strategy_discussion)
        subscribe("case_opened", enquiry_services.strategy_clock_on_referral_decision)
        subscribe("child_seen", assessment_services.on_child_seen)
        subscribe("child_seen", enquiry_services.on_child_seen)
        navigation.register(navigation.NavItem("Sign-off", "assessments-awaiting", _signs_off, order=25))


def _signs_off(user) -> bool:
    from cases.roles import Role
    from cases.selectors.people import has_role

    return has_role(user, Role.TEAM_MANAGER, Role.SERVICE_MANAGER)
