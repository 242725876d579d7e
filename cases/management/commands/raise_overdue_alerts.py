from django.core.management.base import BaseCommand

from cases.services.alerts import overdue_alerts_raise


class Command(BaseCommand):
    help = "Turn deadlines that have gone overdue into in-app alerts (the beat job runs this every five minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"{overdue_alerts_raise()} alerts raised")
