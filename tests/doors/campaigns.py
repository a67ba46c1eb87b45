"""Campaign management: the bureau admin's doors only (reviewers 403, departments' people 404)."""

from tests.access import door, nothing

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("GET",    "bureau:campaign_new",                      302, 404, 404, 403, 200, 404, 404),
    # An empty form: the page again with each field's message.
    door("POST",   "bureau:campaign_new",                      302, 404, 404, 403, 400, 404, 404, body=nothing),
    door("GET",    "bureau:campaign_edit",                     302, 404, 404, 403, 200, 404, 404),
    door("POST",   "bureau:campaign_edit",                     302, 404, 404, 403, 400, 404, 404, body=nothing),
    # The cast's campaign is open already: refused with a message, back to the list.
    door("POST",   "bureau:campaign_open",                     302, 404, 404, 403, 302, 404, 404, body=nothing),
    door("GET",    "bureau:campaign_opening",                  302, 404, 404, 403, 200, 404, 404),
    door("GET",    "bureau:campaign_close",                    302, 404, 404, 403, 200, 404, 404),
    # Not confirmed: the confirmation again, with its message.
    door("POST",   "bureau:campaign_close",                    302, 404, 404, 403, 400, 404, 404, body=nothing),
]
# fmt: on
