"""Doors of 历史 (see tests/access.py): every member of department A, nobody else."""

from tests.access import door

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("GET",    "department:evaluation_history",            302, 200, 200, 200, 200, 404, 404),
]
# fmt: on
