"""Signing published PDFs with the bureau's certificate (PAdES, one invisible signature).

Each jurisdiction signs with its own PKCS#12 file, `<SIGNING_KEYS_DIR>/<slug>.p12`. Its password
is never in the database: it comes from the environment (`SIGNING_KEY_PASSWORD_<SLUG>`) or, for
the demo certificate, from the file beside it (`<slug>.p12.password`, mode 0600). The signature is
an incremental update, so the PDF/A file it is added to stays PDF/A. See docs/signing.md.
"""

import datetime
import fcntl
import os
import secrets
import threading
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from departments.models import Jurisdiction

SIGNATURE_FIELD = "Signature"
DEMO_VALIDITY = datetime.timedelta(days=5 * 365)


class SigningNotConfigured(Exception):
    """The jurisdiction has no usable certificate; the message says what to do, in Chinese."""


def key_path(jurisdiction: Jurisdiction) -> Path:
    return Path(settings.SIGNING_KEYS_DIR) / f"{jurisdiction.slug}.p12"


def password_variable(jurisdiction: Jurisdiction) -> str:
    """The environment variable that holds the password of the jurisdiction's key."""
    return "SIGNING_KEY_PASSWORD_" + jurisdiction.slug.upper().replace("-", "_")


def _password(jurisdiction: Jurisdiction, path: Path) -> bytes:
    variable = password_variable(jurisdiction)
    if variable in os.environ:
        return os.environ[variable].encode()
    sidecar = path.with_name(path.name + ".password")
    if sidecar.exists():
        return sidecar.read_text().strip().encode()
    raise SigningNotConfigured(
        _("未配置%(bureau)s签名证书的密码：请设置环境变量 %(variable)s，或在证书旁放置 %(file)s。")
        % {"bureau": jurisdiction.name, "variable": variable, "file": sidecar.name}
    )


# One loaded signer per key file and version of it: loading a PKCS#12 file costs a key
# derivation, and a replaced file (a rotated certificate) has a new mtime, so it is read again.
_signers: dict[tuple[str, int, bytes], signers.SimpleSigner] = {}
_signers_lock = threading.Lock()


def signer_for(jurisdiction: Jurisdiction) -> signers.SimpleSigner:
    """The jurisdiction's signer, loaded from its PKCS#12 file (cached per process)."""
    path = key_path(jurisdiction)
    try:
        mtime = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise SigningNotConfigured(
            _("未配置%(bureau)s的签名证书：请将 PKCS#12 证书放在 %(path)s（见 docs/signing.md）。")
            % {"bureau": jurisdiction.name, "path": path}
        ) from None
    password = _password(jurisdiction, path)
    cache_key = (str(path), mtime, password)
    with _signers_lock:
        if cache_key not in _signers:
            # An older version of a rotated key is never used again.
            for stale in [key for key in _signers if key[0] == cache_key[0]]:
                del _signers[stale]
            _signers[cache_key] = _load(jurisdiction, path, password)
        return _signers[cache_key]


def _load(jurisdiction: Jurisdiction, path: Path, password: bytes) -> signers.SimpleSigner:
    try:
        return signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), (), passphrase=password)
    except ValueError:
        raise SigningNotConfigured(
            _("无法读取%(bureau)s的签名证书 %(path)s：文件损坏或密码不对。")
            % {"bureau": jurisdiction.name, "path": path}
        ) from None


def sign_pdf(content: bytes, jurisdiction: Jurisdiction) -> bytes:
    """The PDF with the jurisdiction's PAdES signature added as an incremental update."""
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=_("%(bureau)s 公开") % {"bureau": jurisdiction.name},
        location=jurisdiction.area_name,
        name=jurisdiction.name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    # No box: the field is invisible; the visible mark of a published page is its stamp.
    signed = signers.sign_pdf(writer, metadata, signer=signer_for(jurisdiction))
    return signed.getvalue()


def demo_certificate_create(jurisdiction: Jurisdiction) -> Path:
    """A self-signed demo certificate for the jurisdiction, made once; returns its path.

    Its name says it has no legal force. The password is random and kept in the sidecar file.
    """
    path = key_path(jurisdiction)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)  # mkdir's mode is filtered by the umask
    # Two workers starting at once must not write a key with the other's password.
    with open(path.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _demo_write(jurisdiction, path)
    return path


def _demo_write(jurisdiction: Jurisdiction, path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    certificate = _demo_certificate(jurisdiction, key)
    password = secrets.token_urlsafe(24)
    data = pkcs12.serialize_key_and_certificates(
        jurisdiction.slug.encode(),
        key,
        certificate,
        None,
        serialization.BestAvailableEncryption(password.encode()),
    )
    _write_private(path.with_name(path.name + ".password"), password.encode())
    _write_private(path, data)


def _demo_certificate(jurisdiction: Jurisdiction, key: rsa.RSAPrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(
                NameOID.COMMON_NAME,
                _("%(bureau)s（演示证书，不具法律效力）") % {"bureau": jurisdiction.name},
            ),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, jurisdiction.name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + DEMO_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )


def _write_private(path: Path, content: bytes) -> None:
    """Write a secret readable by its owner only, whole or not at all."""
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    os.replace(partial, path)
