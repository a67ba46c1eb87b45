"""The API's refusals in the OpenAPI schema: every endpoint lists each error it can answer.

The views document their own answers (a section's 409 and 422, with examples). This schema class
adds, under each operation, the refusals the endpoints share, unless the view documents that code
itself: 400 and 415 for a request body, 401 when login is required, 403 for tenant URLs and for
writes (CSRF), 404 for URLs that name a tenant or an object. All are `{"detail": "…"}`.
"""

import re
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

WRITES = frozenset({"POST", "PUT", "PATCH"})
PATH_PARAMETER = re.compile(r"\{\w+\}")
TENANT_PARAMETERS = ("{department}", "{jurisdiction}")


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="中文说明")


class SessionScheme(SpectacularSessionScheme):
    """Our session authentication (config.api) is documented as DRF's: the session cookie."""

    target_class = "config.api.SessionAuthentication"


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self.shared_errors().items():
            if code not in responses:
                documented = OpenApiResponse(DetailSerializer, description=description)
                responses[code] = self._get_response_for_code(documented, code, direction=direction)
        return dict(sorted(responses.items()))

    def shared_errors(self) -> dict[str, str]:
        """Status code → when this operation gives it."""
        writes = self.method in WRITES
        tenant = any(name in self.path for name in TENANT_PARAMETERS)
        errors: dict[str, str] = {}
        if writes:
            errors["400"] = (
                "请求体不是可读的 JSON：格式错误、不是 UTF-8 编码、嵌套超过 64 层，"
                "或文本中含有空字符（NUL）或无效的代理字符（如 \\ud800）"
            )
        if {} not in self.get_auth():
            errors["401"] = (
                "未登录：请先登录（本站的会话 Cookie），响应头 WWW-Authenticate: Session"
            )
        forbidden = []
        if tenant:
            forbidden.append("您在此部门或财政区划的角色不能使用此接口")
        if writes:
            forbidden.append("CSRF 校验失败：写入须带 X-CSRFToken 请求头")
        if forbidden:
            errors["403"] = "；".join(forbidden)
        if tenant:
            errors["404"] = "部门不存在或您不是其成员，或所指的对象不存在（不区分两者）"
        elif PATH_PARAMETER.search(self.path):
            errors["404"] = "所指的对象不存在"
        if writes:
            errors["415"] = "请求体不是 JSON：Content-Type 须为 application/json"
        return errors
