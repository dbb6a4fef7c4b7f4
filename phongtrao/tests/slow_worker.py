"""`python -m phongtrao.tests.slow_worker MARKER`: `phongtrao worker` whose reports take a
minute, having touched MARKER when one starts, so a test can kill it mid-job
(tests/test_job_worker.py)."""

import sys
import time
from pathlib import Path

import django


def main() -> None:
    marker = Path(sys.argv[1])
    django.setup()
    from django.core.management import call_command

    from phongtrao.documents import services

    real = services.report_render

    def slow_render(**kwargs):
        marker.touch()
        time.sleep(60)
        return real(**kwargs)

    services.report_render = slow_render
    call_command("worker", interval=0.2)


if __name__ == "__main__":
    main()
