from django.http import HttpRequest

from departments.selectors import workspaces_for


def workspaces(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's departments and bureaus, for the navigation of every page."""
    return {"workspaces": lambda: workspaces_for(user=request.user)}
