"""How the API answers: JSON in (bounded, see config/safe_json.py) and JSON out, errors included.

Every refusal under `/api/` is `{"detail": "…"}` in the user's language: 401 for anonymous callers
(never the login page), 403 and 404 from the tenant middleware and the views, 400 for a body that
is not read. The DRF settings (config/settings.py) make these the defaults of every API view.
"""

from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from config import safe_json

API_PREFIX = "/api/"
# The scheme named in 401 answers: the API is used with the site's session cookie.
AUTHENTICATE_SCHEME = "Session"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_logged_in_detail() -> str:
    return _("请先登录。")


def forbidden_detail() -> str:
    return _("您的角色不能进行此操作。")


def not_found_detail() -> str:
    # The same words whether the thing is missing or belongs to another tenant: never confirm.
    return _("不存在，或您没有访问权限。")


def error_response(status: int, detail: str, **headers: str) -> JsonResponse:
    """`{"detail": …}` with the status, for answers given outside DRF (middleware, error pages)."""
    return JsonResponse(
        {"detail": detail},
        status=status,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )


def not_logged_in_response() -> JsonResponse:
    return error_response(401, not_logged_in_detail(), **{"WWW-Authenticate": AUTHENTICATE_SCHEME})


class SafeJSONParser(JSONParser):
    """JSON read by config.safe_json: depth bounded before parsing, NUL and lone surrogates refused,
    numbers with a fraction read as Decimal; every refusal is a 400 with a message in Chinese."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        # JSON is UTF-8 (RFC 8259); the bytes go to safe_json as they are, so that invalid UTF-8
        # is refused with its position rather than decoded with replacement characters.
        try:
            return safe_json.loads(stream.read())
        except safe_json.UnsafeJSON as error:
            raise exceptions.ParseError(str(error)) from error


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's session, with a scheme to name in WWW-Authenticate: without one DRF answers an
    anonymous caller 403 instead of 401. A failed CSRF check is refused in the user's words."""

    def authenticate_header(self, request: Request) -> str:
        return AUTHENTICATE_SCHEME

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as error:
            raise exceptions.PermissionDenied(_("CSRF 校验失败，请刷新页面后重试。")) from error


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with our words for the refusals that carry no message of their own."""
    # Imported here: DRF's APIView imports this module (its default classes) while it is loaded.
    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = _own_detail(exc)
    if detail is not None:
        response.data = {"detail": detail}
    return response


def _own_detail(exc: Exception) -> str | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        return not_logged_in_detail()
    # Django's Http404 says which model was not found, in English: never shown.
    if isinstance(exc, Http404) or _default(exc, exceptions.NotFound):
        return not_found_detail()
    if isinstance(exc, DjangoPermissionDenied) and not exc.args:
        return forbidden_detail()
    if _default(exc, exceptions.PermissionDenied):
        return forbidden_detail()
    return None


def _default(exc: Exception, kind: type[exceptions.APIException]) -> bool:
    """An exception of this kind raised without a message of its own."""
    return isinstance(exc, kind) and str(exc.detail) == str(kind.default_detail)
