"""The reviewer's dashboard of a campaign (bureau:campaign, also its ?format=xlsx export):
reviewers and bureau admins of the campaign's bureau only; department members get 404 as for
any bureau page."""

from tests.access import door

# fmt: off
DOORS = [
    #    method    URL name                                   anon fill head rev  adm  b    out
    door("GET",    "bureau:campaign",                          302, 404, 404, 200, 200, 404, 404),
]
# fmt: on
