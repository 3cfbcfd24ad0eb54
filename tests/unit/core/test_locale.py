"""The Vietnamese catalogue is complete and its compiled .mo matches the .po."""

import gettext
import re
from pathlib import Path

import lifelong

LOCALE = Path(lifelong.__file__).parent / "locale"


def _entries(po: Path) -> list[tuple[str, str, str]]:
    text = po.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if "#~" in block:
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        context = re.search(r'^msgctxt "(.*)"', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if not msgid or not msgstr:
            continue

        def unquote(chunk: str) -> str:
            return (
                "".join(line.strip()[1:-1] for line in chunk.strip().split("\n"))
                .encode()
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )

        if unquote(msgid.group(1)):
            entries.append(
                (
                    context.group(1) if context else "",
                    unquote(msgid.group(1)),
                    unquote(msgstr.group(1)),
                )
            )
    return entries


def test_every_vietnamese_message_is_translated():
    untranslated = [m for _c, m, t in _entries(LOCALE / "vi/LC_MESSAGES/django.po") if not t]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    # Run `msgfmt -o django.mo django.po` after editing the .po file.
    with (LOCALE / "vi/LC_MESSAGES/django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        m
        for c, m, t in _entries(LOCALE / "vi/LC_MESSAGES/django.po")
        if "%(" not in m and (compiled.pgettext(c, m) if c else compiled.gettext(m)) != t
    ]
    assert stale == []
