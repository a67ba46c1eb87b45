"""Site-wide views: the health check, the API docs page, and the error pages (JSON under /api/)."""

from csp.decorators import csp_update
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularSwaggerSplitView

from config.api import error_response, forbidden_detail, is_api_request, not_found_detail


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and docker-compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Swagger UI from the sidecar's files, its start-up script served by the same view (`?script`)
# and its page styles from a file (api_docs.html), so nothing is inline. Its stylesheet draws
# icons as data: images, which this page alone allows.
api_docs = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html")
)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 when the body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE, in Chinese."""
    too_big = isinstance(exception, RequestDataTooBig)
    if is_api_request(request):
        if too_big:
            return error_response(413, _("提交的内容过大，未保存。"))
        return error_response(400, _("请求无法处理。"))
    if too_big:
        return render(request, "413.html", status=413)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        # Our own refusals carry a message for the user; a bare PermissionDenied does not.
        return error_response(403, str(exception) if exception.args else forbidden_detail())
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return error_response(404, not_found_detail())
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return error_response(500, _("服务器内部错误，请稍后重试。"))
    return defaults.server_error(request)
