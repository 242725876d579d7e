"""A write locks the record it changes and nothing more (cases/services/writes.py): two social
workers saving on two children of one authority at the same moment never wait on each other, while
two saves on one child's case still run one at a time. Real PostgreSQL, two connections."""

import threading
from datetime import date, timedelta

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from cases.roles import Role
from planning.services import plan_start
from tests.factories import allocate_new_child
from visits.services import visit_start

# Each write takes the case's lock; before the one helper, each also locked the authority's row.
WRITES = {
    "plan": lambda case, worker: plan_start(case=case, kind="cin", started_on=timezone.localdate(), written_by=worker,
                                            outcomes="Goes to school every day", contingency="A strategy discussion"),
    "visit": lambda case, worker: visit_start(case=case, recorded_by=worker, kind="cin",
                                              visited_at=timezone.now() - timedelta(hours=1)),
}  # fmt: skip


def second_write_while_first_holds(write, first_case, second_case, worker) -> str:
    """'saved' if the second write finished while the first's transaction was still open, 'waited'
    if it was still waiting for a lock after two seconds."""
    first_holds, second_finished, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                WRITES[write](first_case, worker)
                first_holds.set()
                second_finished.wait(30)
        finally:
            connection.close()

    def second():
        try:
            assert first_holds.wait(30)
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                WRITES[write](second_case, worker)
            outcome["second"] = "saved"
        except OperationalError:
            outcome["second"] = "waited"
        finally:
            second_finished.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome["second"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_writes_on_two_children_of_one_authority_do_not_wait_on_each_other(people, leeds, case, write):
    other = allocate_new_child(people, leeds, first_name="Noor", last_name="Haddad", date_of_birth=date(2016, 3, 1))
    worker = people[Role.SOCIAL_WORKER]
    assert second_write_while_first_holds(write, case, other.cases.get(), worker) == "saved"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", WRITES)
def test_two_writes_on_one_childs_case_run_one_at_a_time(people, case, write):
    assert second_write_while_first_holds(write, case, case, people[Role.SOCIAL_WORKER]) == "waited"
