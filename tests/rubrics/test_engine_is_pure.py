"""The engine is pure Python: importing every module of `rubrics.engine` loads no Django."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

IMPORT_ALL = """
import importlib, json, pkgutil, sys
import rubrics.engine
names = [m.name for m in pkgutil.walk_packages(rubrics.engine.__path__, "rubrics.engine.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({
    "imported": names,
    "django": sorted(name for name in sys.modules if name.startswith("django")),
}))
"""


def test_the_engine_imports_no_django() -> None:
    # A clean environment: no DJANGO_SETTINGS_MODULE, nothing imported before the engine.
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL], cwd=ROOT, env={}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert {"rubrics.engine.scoring", "rubrics.engine.io", "rubrics.engine.rules.bands"} <= set(
        found["imported"]
    )
    assert found["django"] == []
