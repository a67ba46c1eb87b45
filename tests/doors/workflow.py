"""The workflow screens' doors: a transition's button and the reviewer's return page."""

from typing import Any

from tests.access import door
from tests.conftest import Cast


def confirmed(cast: Cast) -> dict[str, Any]:
    return {"confirmed": "yes"}


def nothing(cast: Cast) -> dict[str, Any]:
    return {}


# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    # Submitting the cast's near-empty evaluation: the head's step, blocked by its findings (422);
    # every other role is refused by the service (403).
    door("POST",   "department:evaluation_transition",         302, 403, 422, 403, 403, 404, 404, body=confirmed),
    door("GET",    "department:evaluation_return",             302, 403, 403, 200, 403, 404, 404),
    # No reason: the form shown again (422).
    door("POST",   "department:evaluation_return",             302, 403, 403, 422, 403, 404, 404, body=nothing),
]
# fmt: on
