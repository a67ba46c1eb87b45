"""Rubric endpoints: list and read the library, and the dry run `POST /api/rubrics/{id}/score/`."""

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rubrics.engine.definition import RubricError
from rubrics.engine.scoring import (
    RequestError,
    load_request_json,
    parse_request,
    result_to_dict,
    score,
)
from rubrics.models import Rubric
from rubrics.selectors import latest_rubric


class RubricSerializer(serializers.ModelSerializer[Rubric]):
    class Meta:
        model = Rubric
        fields = ["rubric_id", "version", "title", "kind", "checksum", "created_at"]


class RubricListView(ListAPIView[Rubric]):
    """Every version of every rubric in the library."""

    serializer_class = RubricSerializer
    queryset = Rubric.objects.all()


def dry_run(rubric_id: str, body: Any) -> dict[str, Any]:
    """Score a request body against the rubric's latest version (shared with `manage.py score`)."""
    definition = latest_rubric(rubric_id).definition()
    inputs, claimed = parse_request(body)
    return result_to_dict(score(definition, inputs, claimed))


class DecimalJSONParser(JSONParser):
    """JSON whose numbers are read as Decimal, as `manage.py score` reads its file: DRF's own
    parser reads floats, and 0.30000000000000001 would be scored as 0.3."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return load_request_json(stream.read().decode(encoding))
        except UnicodeDecodeError as error:
            raise ParseError(f"请求体不是 {encoding} 编码的文本") from error
        except RequestError as error:
            raise ParseError(str(error)) from error


class RubricScoreView(APIView):
    """Dry run: score the given inputs and claims, as `manage.py score RUBRIC_ID INPUT.json` does."""

    parser_classes = [DecimalJSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, rubric_id: str) -> Response:
        try:
            return Response(dry_run(rubric_id, request.data))
        except RequestError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        except RubricError as error:
            raise NotFound(str(error)) from error
