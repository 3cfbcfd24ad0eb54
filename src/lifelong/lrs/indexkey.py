"""The 64-bit keys under which the agent and activity index rows are indexed.

The rows keep the IFI or IRI itself; their index holds this digest of it instead (8 bytes
in place of 40 to 2,048 characters), so three times as many entries fit a B-tree page, and
a batch of statements, whose agents and activities land all over the index, splits and
writes fewer pages. A query matches the key and then the text, so two texts that share a
key (one chance in 2**64 per pair) still never match each other's statements.

A stored key is computed by this function: changing it needs a migration that recomputes
every row's (lrs/migrations/0007 computes them with it).
"""

import hashlib
from functools import lru_cache

__all__ = ["index_key"]


@lru_cache(maxsize=65536)
def index_key(text: str) -> int:
    """Return the signed 64-bit key of an IFI or IRI: the first 8 bytes of its BLAKE2b."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
