"""The tenant side of publishing: the evaluation's publication panel (everyone who sees the
evaluation) and its 「重新生成」 (reviewers and bureau admins; with nothing failed it redirects
with a message); the bureau's 「公开全部已审核」 and its progress (bureau reviewers and admins)."""

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
    door("GET",    "department:evaluation_publications",       302, 200, 200, 200, 200, 404, 404),
    door("POST",   "department:publication_retry",             302, 403, 403, 302, 302, 404, 404, body=nothing),
    door("GET",    "bureau:campaign_publish",                  302, 404, 404, 200, 200, 404, 404),
    # The cast's campaign has nothing approved: published none, back to the dashboard.
    door("POST",   "bureau:campaign_publish",                  302, 404, 404, 302, 302, 404, 404, body=confirmed),
    door("GET",    "bureau:campaign_publishing",               302, 404, 404, 200, 200, 404, 404),
]
# fmt: on
