"""Signed statements (xAPI 1.0.3 Data 2.6).

A signed statement carries a JWS (RFC 7515, compact serialisation) as an attachment whose
usageType is `http://adlnet.gov/expapi/attachments/signature` and contentType
`application/octet-stream`. The LRS checks that:

- the JWS is well formed and its algorithm is RS256, RS384 or RS512 (Data 2.6.s4.b4);
- its payload is a JSON serialisation of the statement as it was before signing, i.e. it
  matches the received statement by the Statement Comparison Requirements, attachments and
  the LRS-assigned properties aside (Data 2.6.s4.b3, b5);
- when the JWS header carries an `x5c` certificate chain, the signature verifies with the
  first certificate's public key (Data 2.6.s4.b6).

Without `x5c` the signature cannot be checked cryptographically (the spec leaves the key
exchange to the parties); the store keeps the JWS, as it keeps every attachment.
"""

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lifelong.lrs.equivalence import equivalent

__all__ = ["SIGNATURE_USAGE", "SignatureError", "check_signatures"]

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = {"RS256": "SHA256", "RS384": "SHA384", "RS512": "SHA512"}


class SignatureError(ValueError):
    """A signature attachment that fails Data 2.6; `path` names the attachment."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _b64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _without_signature(statement: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in statement.items() if k != "attachments"}
    return out


def _verify_x5c(header: dict[str, Any], signing_input: bytes, signature: bytes, path: str) -> None:
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    except (ValueError, TypeError, KeyError, IndexError, binascii.Error) as exc:
        raise SignatureError("The JWS x5c certificate cannot be read.", path) from exc
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("The x5c certificate does not hold an RSA key.", path)
    algorithm = getattr(hashes, ALGORITHMS[header["alg"]])()
    try:
        key.verify(signature, signing_input, padding.PKCS1v15(), algorithm)
    except InvalidSignature as exc:
        raise SignatureError("The JWS signature does not verify with its x5c key.", path) from exc


def check_jws(statement: Mapping[str, Any], jws: bytes, path: str) -> None:
    """Check one JWS against the statement it signs; raise SignatureError when it fails."""
    try:
        text = jws.decode("ascii").strip()
        encoded_header, encoded_payload, encoded_signature = text.split(".")
        header = json.loads(_b64url(encoded_header))
        payload = json.loads(_b64url(encoded_payload))
        signature = _b64url(encoded_signature)
    except (UnicodeDecodeError, ValueError, binascii.Error) as exc:
        raise SignatureError("The signature is not a compact-serialised JWS.", path) from exc
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise SignatureError("The JWS algorithm must be RS256, RS384 or RS512.", path)
    if not isinstance(payload, dict):
        raise SignatureError("The JWS payload is not a statement.", path)
    if not equivalent(_without_signature(payload), _without_signature(statement)):
        raise SignatureError("The JWS payload does not match the statement.", path)
    if "x5c" in header:
        signing_input = f"{encoded_header}.{encoded_payload}".encode("ascii")
        _verify_x5c(header, signing_input, signature, path)


def check_signatures(statements: list[Any], parts: Mapping[str, tuple[str, bytes]]) -> None:
    """Check every signature attachment of a batch (Data 2.6)."""
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            continue
        attachments = statement.get("attachments")
        if not isinstance(attachments, list):
            continue
        for position, attachment in enumerate(attachments):
            if not isinstance(attachment, dict) or attachment.get("usageType") != SIGNATURE_USAGE:
                continue
            path = f"statements[{index}].attachments[{position}]"
            if attachment.get("contentType") != "application/octet-stream":
                raise SignatureError(
                    "A signature attachment has contentType application/octet-stream.",
                    f"{path}.contentType",
                )
            sha2 = str(attachment.get("sha2", "")).lower()
            if sha2 not in parts:
                raise SignatureError("The signature attachment has no multipart part.", path)
            check_jws(statement, parts[sha2][1], path)
