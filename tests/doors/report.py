"""Doors of the report's Word import (see tests/access.py)."""

from tests.access import door, nothing

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("POST",   "department:report_import",                 302, 400, 403, 403, 403, 404, 404, body=nothing),
    door("POST",   "department:report_import_confirm",         302, 400, 403, 403, 403, 404, 404, body=nothing),
]
# fmt: on
