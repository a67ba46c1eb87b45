"""Rubric endpoints: list and read the library, and the dry run `POST /api/rubrics/{id}/score/`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import SafeJSONParser
from rubrics.engine.definition import RubricError
from rubrics.engine.io import RequestError
from rubrics.models import Rubric
from rubrics.selectors import rubric_dry_run


class RubricSerializer(serializers.ModelSerializer[Rubric]):
    class Meta:
        model = Rubric
        fields = ["rubric_id", "version", "title", "kind", "checksum", "created_at"]


class RubricListView(ListAPIView[Rubric]):
    """Every version of every rubric in the library."""

    serializer_class = RubricSerializer
    queryset = Rubric.objects.all()


class RubricScoreView(APIView):
    """Dry run: score the given inputs and claims, as `manage.py score RUBRIC_ID INPUT.json` does.

    The body is read by `SafeJSONParser` (depth bounded, NUL and lone surrogates refused, numbers
    with a fraction as Decimal): 0.30000000000000001 is scored as itself, not as the float 0.3.
    """

    parser_classes = [SafeJSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request: Request, rubric_id: str) -> Response:
        try:
            return Response(rubric_dry_run(rubric_id=rubric_id, body=request.data))
        except RequestError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        except RubricError as error:
            raise NotFound(str(error)) from error
