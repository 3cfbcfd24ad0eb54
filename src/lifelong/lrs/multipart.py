"""multipart/mixed bodies of statements with attachments (Communication 1.5.2).

A request's first part is the statement JSON; each further part is one attachment's raw
content with `Content-Type`, `Content-Transfer-Encoding: binary` and `X-Experience-API-Hash`
(the SHA-2 of the content, which is checked). Pure functions, standard library only.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

__all__ = ["MultipartError", "Part", "build_multipart", "parse_multipart", "sha2_of"]

_HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


class MultipartError(ValueError):
    """A malformed multipart body; `path` names the part or header at fault."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: its headers (lower-case names) and content."""

    headers: dict[str, str]
    content: bytes

    @property
    def content_type(self) -> str:
        """Return the part's media type, without parameters."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def sha2_of(content: bytes, like: str) -> str:
    """Return the SHA-2 hex digest of `content` in the variant `like` (by its length)."""
    algorithm = _HASHES.get(len(like), hashlib.sha256)
    return algorithm(content).hexdigest()


def boundary_of(content_type: str) -> str:
    """Return the boundary parameter of a multipart Content-Type header."""
    match = re.search(r'boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))', content_type, re.IGNORECASE)
    if match is None:
        raise MultipartError("A multipart/mixed body needs a boundary.", "Content-Type")
    return match.group(1) or match.group(2)


def _split_headers(raw: bytes, where: str) -> Part:
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    if not sep:
        if raw.strip() == b"":
            raise MultipartError("Empty part.", where)
        # A part without headers: all body.
        return Part({}, raw)
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise MultipartError(f"Malformed part header {line!r}.", where)
        headers[name.strip().lower()] = value.strip()
    return Part(headers, body)


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart/mixed body into its parts; raise MultipartError when malformed."""
    boundary = boundary_of(content_type).encode("latin-1")
    delimiter = b"--" + boundary
    start = body.find(delimiter)
    if start < 0:
        raise MultipartError("The body does not contain its boundary.", "Content-Type")
    parts: list[Part] = []
    position = start + len(delimiter)
    while True:
        if body[position : position + 2] == b"--":
            break  # the closing delimiter
        # Skip the rest of the delimiter line.
        newline = body.find(b"\n", position)
        if newline < 0:
            raise MultipartError("The body ends inside a part.", f"part[{len(parts)}]")
        begin = newline + 1
        end = body.find(b"\r\n" + delimiter, begin)
        skip = 2
        if end < 0:
            end = body.find(b"\n" + delimiter, begin)
            skip = 1
        if end < 0:
            raise MultipartError("The body has no closing boundary.", f"part[{len(parts)}]")
        parts.append(_split_headers(body[begin:end], f"part[{len(parts)}]"))
        position = end + skip + len(delimiter)
    if not parts:
        raise MultipartError("The multipart body has no parts.", "body")
    return parts


def attachment_parts(parts: list[Part]) -> dict[str, tuple[str, bytes]]:
    """Return the attachment parts (all but the first) by their checked SHA-2.

    Raises MultipartError when a part lacks X-Experience-API-Hash or its content does not
    hash to it (Communication 1.5.2).
    """
    found: dict[str, tuple[str, bytes]] = {}
    for index, part in enumerate(parts[1:], start=1):
        declared = part.headers.get("x-experience-api-hash", "").strip().lower()
        if not declared:
            raise MultipartError(
                "Each attachment part needs an X-Experience-API-Hash header.",
                f"part[{index}].X-Experience-API-Hash",
            )
        encoding = part.headers.get("content-transfer-encoding", "binary").strip().lower()
        if encoding != "binary":
            raise MultipartError(
                "Attachment parts use Content-Transfer-Encoding: binary.",
                f"part[{index}].Content-Transfer-Encoding",
            )
        if sha2_of(part.content, declared) != declared:
            raise MultipartError(
                "The part's content does not match its X-Experience-API-Hash.",
                f"part[{index}].X-Experience-API-Hash",
            )
        found[declared] = (
            part.headers.get("content-type", "application/octet-stream"),
            part.content,
        )
    return found


def build_multipart(
    json_body: bytes, attachments: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """Return a multipart/mixed body and its Content-Type for a response with attachments.

    `attachments` are (sha2, content type, content) triples.
    """
    boundary = "xapi-" + secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json_body,
    ]
    for sha2, content_type, content in attachments:
        chunks.append(
            (
                f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        chunks.append(content)
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
