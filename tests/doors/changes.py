"""Doors of 修改对比 (see tests/access.py)."""

from tests.access import door

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("GET",    "department:evaluation_changes",            302, 200, 200, 200, 200, 404, 404),
]
# fmt: on
