"""The site's home page (我的工作台): the user's workspaces, and what awaits them by role."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from departments.selectors import workspaces_for
from evaluations.selectors.home import home_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作台: each role's block (filler, department head, reviewer or admin), then the
    departments and bureaus the user works in."""
    return TemplateResponse(
        request,
        "evaluations/home/home.html",
        {"home": home_for(user=request.user), "my_workspaces": workspaces_for(user=request.user)},
    )
