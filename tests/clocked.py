"""Run a Python module with its clock started at a given instant, as a test's other processes need:
``python -m tests.clocked 2026-11-20T17:30:00+00:00 celery -A config worker ...``. A Celery worker
started this way agrees with the test that started it on what now is (tests/clock.py)."""

import runpy
import sys
from datetime import datetime

import time_machine


def main() -> None:
    instant, module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    with time_machine.travel(datetime.fromisoformat(instant), tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
