"""Vietnamese text: NFC normalisation, diacritic folding and collation sort keys.

Pure functions, no Django. The sort key and the folded search text are computed here and
stored in plain columns, so neither SQLite nor PostgreSQL needs ICU to sort or search
Vietnamese correctly (ADR 0002).
"""

import re
import unicodedata

__all__ = ["fold", "name_sort_key", "nfc", "search_terms", "sort_key"]

# The Vietnamese alphabet in dictionary order (29 letters); f, j, w, z are appended so that
# foreign names still sort deterministically.
ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "fjwz"
_LETTER_RANK = {letter: index for index, letter in enumerate(ALPHABET)}

# Tone marks, in the dictionary order: level (none), grave (huyền), hook (hỏi),
# tilde (ngã), acute (sắc), dot below (nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a different letter rather than a tone: breve, circumflex, horn.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the one form Lifelong stores (decomposed input is common)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return `text` lower-cased with every diacritic removed and đ folded to d.

    "Nguyễn Văn Đức" folds to "nguyen van duc"; white space is collapsed to single spaces.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def search_terms(query: str) -> list[str]:
    """Split a search query into folded words; every word must match (AND)."""
    return _WORD.findall(fold(query))


def _letters_and_tone(word: str) -> tuple[list[str], int]:
    """Split a syllable into its Vietnamese letters and its tone (0 = level)."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif unicodedata.combining(ch):
            if letters and (letters[-1], ch) in _LETTER_MARKS:
                letters[-1] = _LETTER_MARKS[(letters[-1], ch)]
        else:
            letters.append(ch)
    return letters, tone


def _letter_code(letter: str) -> str:
    # Two digits a letter (10-42), so keys compare correctly as plain digit strings under any
    # database collation; other characters (digits, foreign letters) sort after the alphabet.
    if letter in _LETTER_RANK:
        return f"{10 + _LETTER_RANK[letter]:02d}"
    if letter.isdigit():
        return f"5{letter}"
    return "99"


def sort_key(*parts: str) -> str:
    """Return a key that orders texts as a Vietnamese dictionary does.

    Letters are compared first (a < ă < â < b ... < đ ...), word by word, part by part;
    tones only break ties (level < huyền < hỏi < ngã < sắc < nặng). The key holds only
    digits, so it sorts the same under every collation of SQLite and PostgreSQL.
    """
    primary: list[str] = []
    tones: list[str] = []
    for part in parts:
        for word in _WORD.findall(nfc(part)):
            letters, tone = _letters_and_tone(word)
            primary.append("".join(_letter_code(letter) for letter in letters))
            tones.append(str(tone))
        primary.append("")  # an empty word marks the end of a part
    # "00" separates words and is lower than every letter, so "An" sorts before "Anh".
    return "00".join(primary) + "01" + "".join(tones)


def name_sort_key(family_name: str, middle_name: str, given_name: str) -> str:
    """Return the sort key of a person's name: given name, then family name, then middle name.

    Vietnamese lists are ordered by the given name (the last word of the full name).
    """
    return sort_key(given_name, family_name, middle_name)
