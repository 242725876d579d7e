from django.core.management.base import BaseCommand

from planning.services.leaving_care import pathway_clocks_open


class Command(BaseCommand):
    help = ("Open the pathway needs-assessment and pathway-plan deadlines of looked-after young people who have "
            "turned 16 (the beat job runs this daily; running it again opens nothing twice).")  # fmt: skip

    def handle(self, *args, **options):
        self.stdout.write(f"{pathway_clocks_open()} pathway deadlines opened")
