"""The serving process settles its heap once the application is loaded (config/heap.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc
import config.wsgi
print(gc.get_threshold()[0], gc.get_freeze_count() > 10_000, "evaluations.views.sections" in __import__("sys").modules)
"""


def test_the_wsgi_application_freezes_its_loaded_heap_and_widens_the_young_generation() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    shown = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown == ["50000", "True", "True"]
