"""`POST /api/d/<department>/evaluations/<id>/transitions/<name>/`: the workflow through the API.

The body is JSON: `{"reason": "…", "comments": [{"section": "funds.figures", "row": 3,
"field": "amount", "text": "…"}]}` (both optional, as the step requires). Answers: 200 with the
new state, 409 when someone moved the state first (who did what), 422 with what blocks the step,
403 for a role that may not take it, 404 for an unknown evaluation or step.
"""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from evaluations.api.schema import NOT_FOUND, DetailSerializer
from evaluations.api.views import TenantAPIView
from evaluations.services.workflow import (
    CommentInput,
    StateMoved,
    StepBlocked,
    UnknownStep,
    evaluation_transition,
)


class CommentSerializer(serializers.Serializer[Any]):
    section = serializers.CharField(max_length=100)
    row = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    field = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=2000, trim_whitespace=True)


class TransitionRequestSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    comments = CommentSerializer(many=True, required=False, default=list)


TRANSITION_DONE = inline_serializer(
    "TransitionDone",
    {
        "state": serializers.CharField(),
        "state_display": serializers.CharField(),
        "transition": serializers.IntegerField(),
        "late": serializers.BooleanField(),
    },
)
TRANSITION_BLOCKED = inline_serializer(
    "TransitionBlocked",
    {
        "detail": serializers.CharField(),
        "blockers": serializers.ListField(child=serializers.DictField()),
    },
)


class TransitionView(TenantAPIView):
    """Carry out a transition of the evaluation's workflow."""

    @extend_schema(
        summary="执行流程操作",
        description=(
            "name 为 submit（提交，单位负责人）、return（退回，审核人，须 reason，可附 comments）、"
            "approve（审核通过，审核人）、publish（公开）、reopen（截止后重新开放，财政管理员，须 reason）、"
            "withdraw（撤回公开，财政管理员，须公开的 reason）。"
        ),
        request=TransitionRequestSerializer,
        responses={
            200: TRANSITION_DONE,
            403: DetailSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(DetailSerializer, description="状态已被他人改变：未执行"),
            422: OpenApiResponse(TRANSITION_BLOCKED, description="不满足条件：列出原因"),
        },
    )
    def post(self, request: Request, department: str, pk: int, name: str) -> Response:
        evaluation = self.evaluation(pk)
        body = TransitionRequestSerializer(
            data=request.data if isinstance(request.data, dict) else {}
        )
        if not body.is_valid():
            return Response(
                {"detail": "请求内容有误。", "errors": body.errors},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        try:
            transition = evaluation_transition(
                evaluation=evaluation,
                name=name,
                by=request.user,
                roles=self.tenant.roles,
                reason=body.validated_data["reason"],
                comments=[CommentInput(**comment) for comment in body.validated_data["comments"]],
                remote_addr=request.META.get("REMOTE_ADDR"),
            )
        except UnknownStep as unknown:
            raise Http404 from unknown
        except StateMoved as moved:
            return Response(
                {"detail": moved.message, "state": moved.state}, status=status.HTTP_409_CONFLICT
            )
        except StepBlocked as blocked:
            return Response(
                {"detail": "不能执行此操作。", "blockers": blocked.blockers},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return Response(
            {
                "state": evaluation.state,
                "state_display": evaluation.get_state_display(),
                "transition": transition.pk,
                "late": transition.late,
            }
        )
