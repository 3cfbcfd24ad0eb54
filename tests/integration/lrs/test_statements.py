"""The Statement resource over HTTP: every status code, paging, voiding, attachments, syntax.

Contract tests that mirror the ADL conformance suite's statement sections, so CI guards
conformance without running the suite. Run on SQLite and, with TEST_DB=postgres, PostgreSQL.
"""

import base64
import copy
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client as HttpClient

from lifelong.lrs import hooks
from lifelong.lrs.models import Statement, StatementAgent
from lifelong.lrs.services import create_client
from lifelong.lrs.store import store_statements

pytestmark = pytest.mark.django_db(transaction=False)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "xapi"
URL = "/xapi/statements"
VERSION = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


class Lrs:
    """An HTTP client authenticated as one LRS client."""

    def __init__(self, scopes: list[str], name: str = "lms") -> None:
        self.client, secret = create_client(acting_user=None, name=name, scopes=scopes)
        token = base64.b64encode(f"{self.client.key}:{secret}".encode()).decode()
        self.headers = {"HTTP_AUTHORIZATION": f"Basic {token}", **VERSION}
        self.http = HttpClient()

    def post(self, data: Any, **extra: Any) -> Any:
        return self.http.post(
            URL, json.dumps(data), content_type="application/json", **self.headers, **extra
        )

    def put(self, data: Any, statement_id: str) -> Any:
        return self.http.put(
            f"{URL}?statementId={statement_id}",
            json.dumps(data),
            content_type="application/json",
            **self.headers,
        )

    def get(self, params: dict[str, str] | None = None, url: str = URL, **extra: Any) -> Any:
        query = f"?{urlencode(params)}" if params else ""
        return self.http.get(url + query, **self.headers, **extra)


@pytest.fixture
def lrs(db: None) -> Lrs:
    return Lrs(["all"])


def statement(**changes: Any) -> dict[str, Any]:
    return load("statement_minimal.json") | changes


def test_post_stores_and_get_returns_the_statement_with_lrs_properties(lrs):
    # when
    response = lrs.post(statement())
    # then
    assert response.status_code == 200
    [sid] = response.json()
    got = lrs.get({"statementId": sid})
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == sid and body["version"] == "1.0.0"
    assert body["authority"] == lrs.client.authority
    assert body["stored"].endswith("Z") and body["timestamp"] == body["stored"]
    assert got["Last-Modified"]
    assert got["X-Experience-API-Consistent-Through"]
    # a GET that is refused carries it too (Communication 2.1.3.s2.b5); a write need not
    refused = lrs.get({"statementId": "not-a-uuid"})
    assert refused.status_code == 400 and refused["X-Experience-API-Consistent-Through"]
    assert "X-Experience-API-Consistent-Through" not in response


def test_put_answers_204_and_equivalent_resend_is_a_no_op(lrs):
    # given
    sid = str(uuid.uuid4())
    assert lrs.put(statement(), sid).status_code == 204
    # when
    again = lrs.put(statement(), sid)
    # then
    assert again.status_code == 204
    assert Statement.objects.count() == 1


def test_resend_with_different_content_answers_409_and_changes_nothing(lrs):
    # given
    sid = str(uuid.uuid4())
    lrs.put(statement(), sid)
    other = statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    # when
    response = lrs.post([statement(id=str(uuid.uuid4())), other | {"id": sid}])
    # then
    assert response.status_code == 409
    assert response.json()["error"]["path"] == "statements[1].id"
    assert Statement.objects.count() == 1


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"statementId": "nope"}, 400),
        ({"statementId": str(uuid.uuid4()), "x": "1"}, 400),
    ],
)
def test_put_is_refused_without_a_valid_statement_id(lrs, params, status):
    # when
    response = lrs.http.put(
        f"{URL}?{urlencode(params)}",
        json.dumps(statement()),
        content_type="application/json",
        **lrs.headers,
    )
    # then
    assert response.status_code == status


def test_put_is_refused_when_body_id_differs_from_statement_id(lrs):
    # when
    response = lrs.put(statement(id=str(uuid.uuid4())), str(uuid.uuid4()))
    # then
    assert response.status_code == 400 and response.json()["error"]["path"] == "id"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"{not json", ""),
        (json.dumps(statement(verb={"id": "completed"})).encode(), "verb.id"),
        (
            json.dumps([statement(), statement(actor={"mbox": "x"})]).encode(),
            "statements[1].actor.mbox",
        ),
    ],
)
def test_invalid_statement_answers_400_naming_the_field_and_stores_nothing(lrs, body, path):
    # when
    response = lrs.http.post(URL, body, content_type="application/json", **lrs.headers)
    # then
    assert response.status_code == 400
    assert response.json()["error"].get("path", "") == path
    assert Statement.objects.count() == 0


def test_oversized_batch_answers_413(lrs, monkeypatch):
    # given
    monkeypatch.setattr("lifelong.lrs.store.MAX_BATCH", 2)
    # when
    response = lrs.post([statement(), statement(), statement()])
    # then
    assert response.status_code == 413


def test_missing_version_header_answers_400_and_bad_credentials_401(lrs):
    # when
    no_version = lrs.http.get(URL, HTTP_AUTHORIZATION=lrs.headers["HTTP_AUTHORIZATION"])
    no_auth = lrs.http.get(URL, **VERSION)
    # then
    assert no_version.status_code == 400
    assert no_auth.status_code == 401


@pytest.mark.parametrize(
    ("scopes", "method", "status"),
    [
        (["statements/read"], "post", 403),
        (["statements/write"], "get", 403),
        (["state"], "get", 403),
        (["statements/write"], "post", 200),
        (["all/read"], "get", 200),
    ],
)
def test_scopes_decide_who_may_read_and_write(db, scopes, method, status):
    # given
    lrs = Lrs(scopes, name="scoped")
    # when
    response = lrs.post(statement()) if method == "post" else lrs.get()
    # then
    assert response.status_code == status


def test_read_mine_sees_only_statements_of_its_own_authority(db):
    # given
    writer = Lrs(["statements/write"], name="writer")
    mine = Lrs(["statements/write", "statements/read/mine"], name="mine")
    writer.post(statement())
    [own] = mine.post(statement()).json()
    # when
    result = mine.get().json()
    # then
    assert [s["id"] for s in result["statements"]] == [own]


def test_voiding_hides_the_target_but_voided_statement_id_finds_it(lrs):
    # given
    [target] = lrs.post(statement()).json()
    [ref] = lrs.post(statement(object={"objectType": "StatementRef", "id": target})).json()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    [voider] = lrs.post(voiding).json()
    # when
    listed = [s["id"] for s in lrs.get().json()["statements"]]
    # then
    assert target not in listed and ref in listed and voider in listed
    assert lrs.get({"statementId": target}).status_code == 404
    assert lrs.get({"voidedStatementId": target}).json()["id"] == target
    assert lrs.get({"voidedStatementId": ref}).status_code == 404


def test_voiding_a_voiding_statement_is_refused(lrs):
    # given
    [target] = lrs.post(statement()).json()
    voided_verb = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    [voider] = lrs.post(
        statement(verb=voided_verb, object={"objectType": "StatementRef", "id": target})
    ).json()
    # when
    response = lrs.post(
        statement(verb=voided_verb, object={"objectType": "StatementRef", "id": voider})
    )
    # then
    assert response.status_code == 400
    assert lrs.get({"statementId": voider}).status_code == 200


def test_filters_match_actor_object_related_and_statement_refs(lrs):
    # given
    full = load("statement_full.json")
    lrs.post(full)
    [ref] = lrs.post(statement(object={"objectType": "StatementRef", "id": full["id"]})).json()
    lrs.post(statement())
    agent = json.dumps({"openid": "https://id.customs.gov.vn/trainer/7"})
    member = json.dumps(
        {"account": {"homePage": "https://lifelong.customs.gov.vn", "name": "HQ00123"}}
    )

    def ids(params: dict[str, str]) -> set[str]:
        response = lrs.get(params)
        assert response.status_code == 200
        return {s["id"] for s in response.json()["statements"]}

    # when / then
    assert ids({"agent": agent}) == set()
    assert ids({"agent": agent, "related_agents": "true"}) == {full["id"], ref}
    assert ids({"agent": member}) == {full["id"], ref}
    assert ids({"activity": "http://lms.customs.gov.vn/quiz/1"}) == set()
    assert ids({"activity": "http://lms.customs.gov.vn/quiz/1", "related_activities": "true"}) == {
        full["id"],
        ref,
    }
    assert ids({"verb": "http://adlnet.gov/expapi/verbs/answered"}) == {full["id"], ref}
    assert ids({"registration": "0b0b1f4e-6d3c-4c49-9f27-9a33c3a2cb30"}) == {full["id"], ref}


def test_texts_that_share_an_index_key_never_match_each_others_statements(lrs, monkeypatch):
    # given: every IFI and IRI under one key (a collision, one chance in 2**64 per pair)
    monkeypatch.setattr("lifelong.lrs.store.index_key", lambda _text: 7)
    monkeypatch.setattr("lifelong.lrs.models.index_key", lambda _text: 7)  # every query's
    first = statement(
        actor={"mbox": "mailto:first@example.org"}, object={"id": "http://example.org/a/1"}
    )
    second = statement(
        actor={"mbox": "mailto:second@example.org"}, object={"id": "http://example.org/a/2"}
    )
    [first_id, second_id] = lrs.post([first, second]).json()

    def ids(params: dict[str, str]) -> set[str]:
        response = lrs.get(params)
        assert response.status_code == 200
        return {s["id"] for s in response.json()["statements"]}

    # when / then
    assert ids({"agent": json.dumps({"mbox": "mailto:first@example.org"})}) == {first_id}
    assert ids({"agent": json.dumps({"mbox": "mailto:second@example.org"})}) == {second_id}
    assert ids({"activity": "http://example.org/a/2"}) == {second_id}
    assert ids({"activity": "http://example.org/a/3"}) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"statementId": str(uuid.uuid4()), "voidedStatementId": str(uuid.uuid4())},
        {"statementId": str(uuid.uuid4()), "verb": "http://a.b/c"},
        {"agent": "{not json"},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"format": "full"},
        {"ascending": "yes"},
        {"unknown": "1"},
    ],
)
def test_bad_query_parameters_answer_400(lrs, params):
    # when / then
    assert lrs.get(params).status_code == 400


def test_more_paging_stays_correct_while_statements_arrive(lrs):
    # given
    sent = [lrs.post(statement()).json()[0] for _ in range(5)]
    seen: list[str] = []
    page = lrs.get({"limit": "2"}).json()
    seen += [s["id"] for s in page["statements"]]
    # when: statements keep arriving between pages
    late = lrs.post(statement()).json()[0]
    while page["more"]:
        assert page["more"].startswith("/xapi/statements?more=")
        page = lrs.http.get(page["more"], **lrs.headers).json()
        seen += [s["id"] for s in page["statements"]]
        lrs.post(statement())
    # then: every statement of the snapshot once, newest first; the late one on a new query
    assert seen == list(reversed(sent))
    assert lrs.get({"limit": "1"}).json()["statements"][0]["id"] != late


def test_since_until_and_ascending_select_by_stored_time(lrs):
    # given
    first = lrs.post(statement()).json()[0]
    stored = lrs.get({"statementId": first}).json()["stored"]
    second = lrs.post(statement()).json()[0]
    # when
    since = [s["id"] for s in lrs.get({"since": stored}).json()["statements"]]
    until = [s["id"] for s in lrs.get({"until": stored}).json()["statements"]]
    ascending = [s["id"] for s in lrs.get({"ascending": "true"}).json()["statements"]]
    # then
    assert first not in since and (
        second in since
        or Statement.objects.get(id=second).stored == Statement.objects.get(id=first).stored
    )
    assert first in until
    assert ascending == [first, second]


def test_single_context_activity_is_returned_as_an_array(lrs):
    # given
    sid = lrs.post(statement(context={"contextActivities": {"parent": {"id": "http://a.b/p"}}}))
    # when
    body = lrs.get({"statementId": sid.json()[0]}).json()
    # then
    assert body["context"]["contextActivities"]["parent"] == [{"id": "http://a.b/p"}]


def multipart(parts: list[tuple[dict[str, str], bytes]]) -> tuple[bytes, str]:
    boundary = "b0undary"
    chunks = []
    for headers, content in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks.append(f"--{boundary}\r\n{head}\r\n".encode() + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"


def with_attachment(
    content: bytes,
    declared_hash: str | None = None,
    usage: str = "http://id.tincanapi.com/attachment/supporting_media",
    content_type: str = "text/plain",
) -> tuple[dict[str, Any], bytes, str]:
    sha2 = hashlib.sha256(content).hexdigest()
    stmt = statement(
        attachments=[
            {
                "usageType": usage,
                "display": {"en-US": "file"},
                "contentType": content_type,
                "length": len(content),
                "sha2": sha2,
            }
        ]
    )
    body, ctype = multipart(
        [
            ({"Content-Type": "application/json"}, json.dumps(stmt).encode()),
            (
                {
                    "Content-Type": content_type,
                    "Content-Transfer-Encoding": "binary",
                    "X-Experience-API-Hash": declared_hash or sha2,
                },
                content,
            ),
        ]
    )
    return stmt, body, ctype


def test_attachment_is_stored_and_returned_as_multipart(lrs):
    # given
    _, body, ctype = with_attachment(b"hello attachment")
    # when
    response = lrs.http.post(URL, body, content_type=ctype, **lrs.headers)
    # then
    assert response.status_code == 200
    got = lrs.get({"statementId": response.json()[0], "attachments": "true"})
    assert got["Content-Type"].startswith("multipart/mixed")
    assert b"hello attachment" in got.content
    assert hashlib.sha256(b"hello attachment").hexdigest().encode() in got.content


def test_attachment_with_a_wrong_hash_or_missing_part_answers_400(lrs):
    # given
    _, bad_hash, ctype = with_attachment(b"hello", declared_hash="0" * 64)
    stmt, _, _ = with_attachment(b"hello")
    # when
    wrong = lrs.http.post(URL, bad_hash, content_type=ctype, **lrs.headers)
    missing = lrs.post(stmt)
    # then
    assert wrong.status_code == 400 and missing.status_code == 400
    assert Statement.objects.count() == 0


def jws(payload: dict[str, Any], alg: str) -> bytes:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": alg}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}.{b64(b'signature')}".encode()


@pytest.mark.parametrize(
    ("alg", "tamper", "status"),
    [
        ("RS256", False, 200),
        ("RS512", False, 200),
        ("HS256", False, 400),
        ("RS256", True, 400),
    ],
)
def test_signed_statement_is_checked_against_its_jws_payload(lrs, alg, tamper, status):
    # given
    signed = statement(id=str(uuid.uuid4()))
    payload = copy.deepcopy(signed)
    if tamper:
        payload["verb"]["id"] = "http://adlnet.gov/expapi/verbs/failed"
    signature = jws(payload, alg)
    sha2 = hashlib.sha256(signature).hexdigest()
    signed["attachments"] = [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "signature"},
            "contentType": "application/octet-stream",
            "length": len(signature),
            "sha2": sha2,
        }
    ]
    body, ctype = multipart(
        [
            ({"Content-Type": "application/json"}, json.dumps(signed).encode()),
            (
                {
                    "Content-Type": "application/octet-stream",
                    "Content-Transfer-Encoding": "binary",
                    "X-Experience-API-Hash": sha2,
                },
                signature,
            ),
        ]
    )
    # when
    response = lrs.http.post(URL, body, content_type=ctype, **lrs.headers)
    # then
    assert response.status_code == status


def test_alternate_syntax_get_and_put_work_through_a_form_post(lrs):
    # given
    sid = str(uuid.uuid4())
    form = urlencode(
        {
            "Authorization": lrs.headers["HTTP_AUTHORIZATION"],
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
            "statementId": sid,
            "content": json.dumps(statement()),
        }
    )
    # when
    put = lrs.http.post(f"{URL}?method=PUT", form, content_type="application/x-www-form-urlencoded")
    get = lrs.http.post(
        f"{URL}?method=GET",
        urlencode(
            {
                "Authorization": lrs.headers["HTTP_AUTHORIZATION"],
                "X-Experience-API-Version": "1.0.3",
                "statementId": sid,
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    # then
    assert put.status_code == 204
    assert get.status_code == 200 and get.json()["id"] == sid


def test_cors_preflight_and_head_answer_without_body(lrs):
    # when
    preflight = lrs.http.options(
        URL, HTTP_ORIGIN="https://lms.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT"
    )
    head = lrs.http.head(URL, **lrs.headers)
    # then
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert head.status_code == 200 and head.content == b""
    assert head["X-Experience-API-Consistent-Through"]


def test_trailing_slash_is_not_needed(lrs):
    # when
    response = lrs.http.get("/xapi/statements", **lrs.headers)
    # then
    assert response.status_code == 200 and response.json() == {"statements": [], "more": ""}


def test_store_is_all_or_nothing_when_one_statement_conflicts(lrs):
    # given
    sid = str(uuid.uuid4())
    store_statements([statement(id=sid)], client=lrs.client)
    # when
    with pytest.raises(Exception, match="already stored"):
        store_statements(
            [statement(), statement(id=sid, verb={"id": "http://a.b/x"})], client=lrs.client
        )
    # then
    assert Statement.objects.count() == 1
    assert StatementAgent.objects.count() == 2  # actor + authority of the first


def test_hook_consumer_that_crashes_catches_up_and_sees_pages_again(lrs):
    # given
    received: list[str] = []
    calls = {"n": 0}

    def flaky(page: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("crash mid-way")
        received.extend(s.id for s in page)

    with hooks.isolated():
        hooks.register("test.flaky", flaky)
        ids = store_statements([statement(), statement()], client=lrs.client, run_hooks=False)
        # when: the first delivery fails; a later run catches up from the cursor
        assert hooks.run_consumers() == {"test.flaky": -1}
        assert hooks.run_consumers() == {"test.flaky": 2}
        # then: nothing more to deliver; re-delivery would carry the same ids
        assert hooks.run_consumers() == {"test.flaky": 0}
        assert received == ids


def _rsa_certificate() -> tuple[Any, str]:
    """Return a fresh RSA key and its self-signed certificate (base64 DER), for x5c."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "lifelong test signer")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return key, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


@pytest.mark.parametrize("signed_by_cert_key", [True, False])
def test_x5c_signature_must_verify_with_its_certificate(lrs, signed_by_cert_key):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    # given: a statement signed with RS256, the certificate in the JWS header
    cert_key, cert = _rsa_certificate()
    signer = cert_key if signed_by_cert_key else rsa.generate_private_key(65537, 2048)
    signed = statement(id=str(uuid.uuid4()))

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (
        f"{b64(json.dumps({'alg': 'RS256', 'x5c': [cert]}).encode())}."
        f"{b64(json.dumps(signed).encode())}"
    )
    sig = signer.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    token = f"{signing_input}.{b64(sig)}".encode()
    sha2 = hashlib.sha256(token).hexdigest()
    signed["attachments"] = [
        {
            "usageType": "http://adlnet.gov/expapi/attachments/signature",
            "display": {"en-US": "signature"},
            "contentType": "application/octet-stream",
            "length": len(token),
            "sha2": sha2,
        }
    ]
    body, ctype = multipart(
        [
            ({"Content-Type": "application/json"}, json.dumps(signed).encode()),
            (
                {
                    "Content-Type": "application/octet-stream",
                    "Content-Transfer-Encoding": "binary",
                    "X-Experience-API-Hash": sha2,
                },
                token,
            ),
        ]
    )
    # when
    response = lrs.http.post(URL, body, content_type=ctype, **lrs.headers)
    # then
    assert response.status_code == (200 if signed_by_cert_key else 400)
