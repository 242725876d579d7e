from tests.cases.conftest import allocated, case, people  # noqa: F401  (shared record fixtures)
