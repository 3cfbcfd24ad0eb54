"""The 64-bit keys of the agent and activity index rows."""

from hypothesis import given
from hypothesis import strategies as st

from lifelong.lrs.indexkey import index_key


@given(st.text(max_size=300))
def test_key_is_a_signed_64_bit_integer_and_the_same_every_time(text):
    key = index_key(text)
    assert -(2**63) <= key < 2**63
    assert index_key(text) == key


def test_keys_of_similar_texts_differ():
    texts = [f"https://lms.customs.example.org/course/{n // 10}/module/{n}" for n in range(5000)]
    texts += [f"mbox:mailto:officer{n:05d}@customs.example.org" for n in range(5000)]
    assert len({index_key(t) for t in texts}) == len(texts)


def test_key_is_fixed_by_its_definition():
    # A stored key must never change: lrs/migrations/0007 computed the stored ones with it.
    assert index_key("mbox:mailto:a@example.org") == int.from_bytes(
        __import__("hashlib").blake2b(b"mbox:mailto:a@example.org", digest_size=8).digest(),
        "big",
        signed=True,
    )
