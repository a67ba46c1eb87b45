"""The API speaks JSON: 401 for anonymous callers, 403 and 404 as {"detail"} in Chinese, bodies
that cannot be read refused with a 400 before they can hurt, and every refusal in the schema."""

import logging
from typing import Any

import pytest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.request import Request
from rest_framework.response import Response

from config import urls as site_urls
from config.settings import client_error_without_traceback
from departments.roles import Role
from evaluations.api.views import TenantAPIView
from tests.conftest import Cast


class HeadsOnlyView(TenantAPIView):
    """A tenant API view that fillers may not use, to meet the middleware's 403."""

    tenant_roles = frozenset({Role.DEPARTMENT_HEAD})

    def get(self, request: Request, department: str) -> Response:
        return Response({"ok": True})


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("suspicious on purpose")


urlpatterns = [
    path("api/d/<slug:department>/heads-only/", HeadsOnlyView.as_view(), name="heads_only"),
    path("api/broken/", broken),
    path("api/suspicious/", suspicious),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

NOT_FOUND = {"detail": "不存在，或您没有访问权限。"}


def api_urls(cast: Cast) -> list[str]:
    department = cast.department_a.slug
    evaluation = {"department": department, "pk": cast.evaluation_a.pk}
    return [
        reverse("department-api:evaluations", kwargs={"department": department}),
        reverse("department-api:evaluation", kwargs=evaluation),
        reverse("department-api:section", kwargs={**evaluation, "key": "basic.staffing"}),
        reverse("rubrics-api:list"),
    ]


def section_url(cast: Cast) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    return reverse("department-api:section", kwargs={**kwargs, "key": "basic.staffing"})


def put_raw(cast: Cast, body: str | bytes) -> Any:
    client = cast.client_for("filler_a")
    return client.put(section_url(cast), data=body, content_type="application/json")


def test_anonymous_callers_get_401_json_not_the_login_page(cast: Cast) -> None:
    for url in api_urls(cast):
        response = cast.client_for("anonymous").get(url)
        assert response.status_code == 401, url
        assert response["Content-Type"] == "application/json"
        assert response["WWW-Authenticate"] == "Session"
        assert response.json() == {"detail": "请先登录。"}


def test_anonymous_writes_get_401_too(cast: Cast) -> None:
    response = cast.client_for("anonymous").put(
        section_url(cast), data={"based_on": 0, "data": {}}, content_type="application/json"
    )
    assert response.status_code == 401 and response.json() == {"detail": "请先登录。"}


def test_html_pages_still_send_anonymous_users_to_the_login_page(cast: Cast) -> None:
    url = reverse("department:home", kwargs={"department": cast.department_a.slug})
    response = cast.client_for("anonymous").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("user", ["outsider", "filler_b"])
def test_outsiders_get_404_json_under_the_api(
    cast: Cast, user: str, debug: bool, settings: Any
) -> None:
    settings.DEBUG = debug  # Django's debug 404 page is HTML: the middleware answers first
    for url in api_urls(cast)[:3]:
        response = cast.client_for(user).get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json() == NOT_FOUND


def test_outsiders_get_the_html_404_page_outside_the_api(cast: Cast) -> None:
    url = reverse("department:home", kwargs={"department": cast.department_a.slug})
    response = cast.client_for("outsider").get(url)
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "页面不存在" in response.content.decode()


def test_an_object_of_another_department_is_a_404_json(cast: Cast) -> None:
    url = reverse(
        "department-api:evaluation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_b.pk},
    )
    response = cast.client_for("filler_a").get(url)
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_an_unknown_api_url_is_a_404_json(cast: Cast) -> None:
    response = cast.client_for("filler_a").get("/api/no-such-thing/")
    assert response.status_code == 404 and response.json() == NOT_FOUND


@pytest.mark.urls(__name__)
def test_members_without_the_role_get_403_json_from_the_middleware(cast: Cast) -> None:
    url = reverse("heads_only", kwargs={"department": cast.department_a.slug})
    assert cast.client_for("head_a").get(url).json() == {"ok": True}
    response = cast.client_for("filler_a").get(url)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "您的角色不能进行此操作。"}


@pytest.mark.urls(__name__)
def test_server_errors_and_bad_requests_under_the_api_are_json(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    client.raise_request_exception = False
    response = client.get("/api/broken/")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试。"}
    response = client.get("/api/suspicious/")
    assert response.status_code == 400 and response.json() == {"detail": "请求无法处理。"}


def test_members_without_the_role_get_the_html_403_page_outside_the_api(cast: Cast) -> None:
    url = reverse("department:members", kwargs={"department": cast.department_a.slug})
    response = cast.client_for("filler_a").get(url)
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert "没有权限" in response.content.decode()


def test_a_write_without_the_csrf_token_is_refused_in_chinese(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["filler_a"])
    response = client.put(
        section_url(cast), data={"based_on": 0, "data": {}}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败，请刷新页面后重试。"}


def test_json_nested_a_thousand_deep_is_refused_before_parsing(cast: Cast) -> None:
    deep = "[" * 1000 + "]" * 1000
    response = put_raw(cast, f'{{"based_on": 0, "data": {{"staff_actual": {deep}}}}}')
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON 嵌套超过 64 层，未读取。"}


def test_malformed_json_is_a_400_in_chinese(cast: Cast) -> None:
    response = put_raw(cast, '{"based_on": 0, "data": {"staff_actual": }}')
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON 格式错误（第 1 行第 42 列）：此处应为一个值。"}


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (
            '{"based_on": 0, "data": {"staff_actual": "\\ud800"}}',
            "文本中含有无效的 Unicode 代理字符（如 \\ud800），未读取。",
        ),
        (
            '{"based_on": 0, "data": {"staff_actual": "5\\u0000"}}',
            "文本中含有空字符（NUL），未读取。",
        ),
        (
            b'{"based_on": 0, "data": {"staff_actual": "\xff"}}',
            "内容不是有效的 UTF-8 编码（第 43 个字节）。",
        ),
    ],
    ids=["lone-surrogate", "nul", "invalid-utf-8"],
)
def test_text_that_cannot_be_stored_is_a_400_in_chinese(
    cast: Cast, body: str | bytes, detail: str
) -> None:
    response = put_raw(cast, body)
    assert response.status_code == 400 and response.json() == {"detail": detail}


def test_expected_refusals_are_logged_in_one_line_without_a_traceback(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    url = reverse("department:members", kwargs={"department": cast.department_a.slug})
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert cast.client_for("filler_a").get(url).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {url}"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_server_errors_keep_their_traceback() -> None:
    error = RuntimeError("boom")
    exc_info = (RuntimeError, error, error.__traceback__)
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), exc_info
    )
    record.status_code = 500
    assert client_error_without_traceback(record) and record.exc_info == exc_info


def test_the_schema_documents_every_refusal_of_every_endpoint(cast: Cast) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        (method.upper(), route): operation
        for route, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert operations
    for (method, route), operation in operations.items():
        codes = set(operation["responses"])
        assert "401" in codes, (method, route)
        if "{department}" in route:
            assert {"403", "404"} <= codes, (method, route)
        if method in {"POST", "PUT"}:
            assert {"400", "403", "415"} <= codes, (method, route)
    section = operations[("PUT", "/api/d/{department}/evaluations/{id}/sections/{key}/")]
    assert {"200", "400", "401", "403", "404", "409", "415", "422"} == set(section["responses"])
    unauthorised = section["responses"]["401"]["content"]["application/json"]["schema"]
    assert unauthorised == {"$ref": "#/components/schemas/Detail"}
