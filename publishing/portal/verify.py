"""/verify/: anyone confirms which publication a code, or a downloaded PDF, belongs to.

Public and without a tenant scope (publishing.verification reads only the public managers).
The upload is hashed as it streams in and never stored; CSRF stays on: the handler has to be set
before CsrfViewMiddleware reads the body, so the outer view is exempt and the inner one
protected, as Django's upload-handler documentation shows.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from publishing.verification import (
    DigestUploadHandler,
    UploadCheck,
    UploadDigest,
    UploadOutcome,
    canonical_code,
    check_upload,
    publication_for_code,
)

STATUS_OF_OUTCOME = {
    UploadOutcome.MISSING: 400,
    UploadOutcome.EMPTY: 400,
    UploadOutcome.NOT_PDF: 400,
    UploadOutcome.TOO_BIG: 413,
    UploadOutcome.MATCH: 200,
    UploadOutcome.NO_MATCH: 200,
}


@csrf_exempt
def upload(request: HttpRequest) -> HttpResponseBase:
    """GET: the form (or a typed code, sent to its page); POST: check an uploaded PDF."""
    if request.method == "POST":
        digest = UploadDigest()
        max_bytes = settings.PUBLISHING_VERIFY_MAX_BYTES
        request.upload_handlers = [DigestUploadHandler(max_bytes=max_bytes, digest=digest)]
        return _check_uploaded(request, digest)
    if request.method in ("GET", "HEAD"):
        return _form_or_code(request)
    return HttpResponseNotAllowed(["GET", "HEAD", "POST"])


@csrf_protect
def _check_uploaded(request: HttpRequest, digest: UploadDigest) -> HttpResponse:
    request.FILES  # noqa: B018  (reads the body: the handler fills `digest`)
    check = check_upload(digest)
    context = {"check": check, "message": _upload_message(check), "outcome": check.outcome.value}
    return render(
        request,
        "publishing/verify/upload.html",
        context,
        status=STATUS_OF_OUTCOME[check.outcome],
    )


def _form_or_code(request: HttpRequest) -> HttpResponseBase:
    typed = request.GET.get("code")
    if typed is None:
        return render(request, "publishing/verify/upload.html", {})
    if not typed.strip():
        context = {"code_error": _("请输入验证码。"), "typed_code": typed}
        return render(request, "publishing/verify/upload.html", context, status=400)
    code = canonical_code(typed)
    if code is None:
        return _not_found(request, typed)
    return redirect("verify:code", code=code)


@require_safe
def code(request: HttpRequest, code: str) -> HttpResponseBase:
    """A publication by its code; a code typed another way (lower case, dashes, O for 0) is
    sent to its canonical address, the one printed on every page."""
    canonical = canonical_code(code)
    verified = publication_for_code(canonical) if canonical else None
    if verified is None:
        return _not_found(request, code)
    if canonical != code:
        return redirect("verify:code", code=canonical, permanent=True)
    return render(request, "publishing/verify/code.html", {"verified": verified})


def _not_found(request: HttpRequest, typed: str) -> HttpResponse:
    return render(request, "publishing/verify/not_found.html", {"typed_code": typed}, status=404)


def _upload_message(check: UploadCheck) -> str:
    largest = filesizeformat(settings.PUBLISHING_VERIFY_MAX_BYTES)
    return {
        UploadOutcome.MISSING: _("请选择要验证的 PDF 文件。"),
        UploadOutcome.EMPTY: _("所选文件是空的，请选择要验证的 PDF 文件。"),
        UploadOutcome.TOO_BIG: _("文件超过 %(largest)s，无法验证：本平台公开的材料都小于这个大小。")
        % {"largest": largest},
        UploadOutcome.NOT_PDF: _("这不是 PDF 文件。"),
        UploadOutcome.MATCH: _("该文件与以下已公开材料完全一致。"),
        UploadOutcome.NO_MATCH: _(
            "该文件与任何已公开材料都不一致：可能被修改过，或不是本平台公开的文件。"
        ),
    }[check.outcome]
