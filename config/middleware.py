from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the user chose another language with the switcher (a cookie).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: officials share
    machines set to English, and the official forms must read as they do on paper.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class NullCharactersRefusedMiddleware:
    """A query string with a NUL character is a 400 before any view reads it.

    PostgreSQL cannot hold or compare NUL in text, so a view filtering on a parameter (the
    portal's search and filters) would end in a 500. Forms refuse NUL in fields already (Django's
    ProhibitNullCharactersValidator), and the API's JSON reader too; this covers the query string,
    which views read directly. No legitimate link carries one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest(_("请求参数中含有空字符（NUL），未处理。"))
        return self.get_response(request)
