"""Members pages: the bureau admin manages its bureau's, a department head its fillers."""

from tests.access import door, nothing

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    # An empty form or no member named: the view's own 400.
    door("POST",   "department:member_add",                    302, 403, 400, 403, 400, 404, 404, body=nothing),
    door("POST",   "department:member_role",                   302, 403, 400, 403, 400, 404, 404, body=nothing),
    # No member named: back to the list; a named one asks for confirmation.
    door("GET",    "department:member_remove",                 302, 403, 302, 403, 302, 404, 404),
    door("POST",   "department:member_remove",                 302, 403, 400, 403, 400, 404, 404, body=nothing),
    door("POST",   "bureau:member_add",                        302, 404, 404, 403, 400, 404, 404, body=nothing),
    door("POST",   "bureau:member_role",                       302, 404, 404, 403, 400, 404, 404, body=nothing),
    door("GET",    "bureau:member_remove",                     302, 404, 404, 403, 302, 404, 404),
    door("POST",   "bureau:member_remove",                     302, 404, 404, 403, 400, 404, 404, body=nothing),
]
# fmt: on
