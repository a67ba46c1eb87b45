"""Signing: the demo certificate, the signer's configuration and a PAdES signature pdfsig accepts."""

import os
import stat
import subprocess
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from weasyprint import HTML

from publishing.signing import (
    SigningNotConfigured,
    demo_certificate_create,
    password_variable,
    sign_pdf,
    signer_for,
)
from tests.factories import JurisdictionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings, tmp_path: Path) -> Path:
    settings.SIGNING_KEYS_DIR = tmp_path / "keys"
    return settings.SIGNING_KEYS_DIR


@pytest.fixture
def bureau(keys: Path):
    return JurisdictionFactory(slug="zhan-jiang", name="湛江市财政局", area_name="湛江市")


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    return HTML(string="<p>公开</p>").write_pdf(pdf_variant="pdf/a-3b")


def pdfsig(path: Path) -> str:
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def test_it_makes_a_demo_certificate_that_says_so(bureau, keys: Path) -> None:
    path = demo_certificate_create(bureau)

    assert path == keys / "zhan-jiang.p12"
    password = (keys / "zhan-jiang.p12.password").read_text().strip()
    key, certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    assert key is not None and certificate is not None
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "湛江市财政局（演示证书，不具法律效力）"
    )
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "湛江市财政局"
    assert subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "CN"
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert 5 * 365 <= lifetime.days <= 5 * 366
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert stat.S_IMODE((keys / "zhan-jiang.p12.password").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_it_keeps_an_existing_certificate(bureau) -> None:
    path = demo_certificate_create(bureau)
    before = path.read_bytes()

    assert demo_certificate_create(bureau) == path
    assert path.read_bytes() == before


def test_it_says_when_there_is_no_certificate(bureau) -> None:
    with pytest.raises(SigningNotConfigured, match="未配置湛江市财政局的签名证书"):
        signer_for(bureau)


def test_it_says_when_there_is_no_password(bureau, keys: Path) -> None:
    demo_certificate_create(bureau)
    (keys / "zhan-jiang.p12.password").unlink()

    with pytest.raises(SigningNotConfigured, match="SIGNING_KEY_PASSWORD_ZHAN_JIANG"):
        signer_for(bureau)


def test_it_says_when_the_password_is_wrong(bureau, monkeypatch) -> None:
    demo_certificate_create(bureau)
    monkeypatch.setenv(password_variable(bureau), "not-the-password")

    with pytest.raises(SigningNotConfigured, match="密码不对"):
        signer_for(bureau)


def test_it_takes_the_password_from_the_environment(bureau, keys: Path, monkeypatch) -> None:
    demo_certificate_create(bureau)
    sidecar = keys / "zhan-jiang.p12.password"
    monkeypatch.setenv("SIGNING_KEY_PASSWORD_ZHAN_JIANG", sidecar.read_text().strip())
    sidecar.unlink()

    certificate = signer_for(bureau).signing_cert
    assert certificate is not None
    assert certificate.subject.native["organization_name"] == "湛江市财政局"


def test_it_reloads_a_rotated_certificate(bureau, keys: Path) -> None:
    path = demo_certificate_create(bureau)
    first = signer_for(bureau)
    assert signer_for(bureau) is first

    path.unlink()
    demo_certificate_create(bureau)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))

    rotated = signer_for(bureau)
    assert rotated is not first
    assert rotated.signing_cert is not None and first.signing_cert is not None
    assert rotated.signing_cert.serial_number != first.signing_cert.serial_number


def test_it_keeps_each_bureaus_signer(keys: Path) -> None:
    first = JurisdictionFactory()
    second = JurisdictionFactory()
    demo_certificate_create(first)
    demo_certificate_create(second)

    signer = signer_for(first)
    signer_for(second)

    assert signer_for(first) is signer


def test_the_signature_is_valid_and_breaks_when_a_byte_changes(
    bureau, small_pdf: bytes, tmp_path: Path
) -> None:
    demo_certificate_create(bureau)
    signed = sign_pdf(small_pdf, bureau)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)

    report = pdfsig(path)
    assert "Signature is Valid." in report
    assert "ETSI.CAdES.detached" in report
    assert "湛江市财政局（演示证书，不具法律效力）" in report
    assert signed.startswith(small_pdf)  # an incremental update: the original bytes are kept

    # A byte inside the signed range, in the original file's body.
    tampered = bytearray(signed)
    at = signed.index(b"/Producer")
    tampered[at + 2] ^= 0x01
    broken = tmp_path / "tampered.pdf"
    broken.write_bytes(bytes(tampered))
    report = pdfsig(broken)
    assert "Digest Mismatch." in report
    assert "Signature is Valid." not in report


def test_signing_keeps_the_pdfa_identification(bureau, small_pdf: bytes) -> None:
    demo_certificate_create(bureau)

    with pikepdf.open(BytesIO(sign_pdf(small_pdf, bureau))) as pdf:
        metadata = pdf.open_metadata()
        assert metadata["pdfaid:part"] == "3"
        assert metadata["pdfaid:conformance"] == "B"
        (field,) = pdf.Root.AcroForm.Fields
        assert field.FT == "/Sig"
        assert field.V.Reason == "湛江市财政局 公开"
        assert field.V.Location == "湛江市"
        assert list(field.Rect) == [0, 0, 0, 0]  # invisible
        assert int(field.F) & 4  # printable, as PDF/A wants every annotation
