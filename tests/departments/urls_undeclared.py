from django.http import HttpRequest, HttpResponse
from django.urls import path


def undeclared(request: HttpRequest, department: str) -> HttpResponse:
    return HttpResponse("should never be reached")


urlpatterns = [path("d/<slug:department>/", undeclared, name="undeclared")]
