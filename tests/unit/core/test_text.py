"""Vietnamese text helpers: NFC, folding, collation keys."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong.core.text import fold, name_sort_key, nfc, search_terms, sort_key


def test_nfc_composes_decomposed_tone_marks():
    # given: "Nguyễn" typed with combining marks, as Windows-1258 decoding produces
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    # when / then
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("Đặng Thị Đào", "dang thi dao"),
        ("  Hồ   Quỳnh  ", "ho quynh"),
        ("ƯỚC MƠ", "uoc mo"),
    ],
)
def test_fold_removes_diacritics_and_folds_d(text, folded):
    assert fold(text) == folded


def test_fold_gives_same_result_for_composed_and_decomposed_input():
    text = "Trương Thị Ngọc Ánh"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_search_terms_split_folded_words():
    assert search_terms("Nguyễn  văn,an") == ["nguyen", "van", "an"]


def _sorted(words):
    return sorted(words, key=lambda w: sort_key(w))


def test_sort_key_follows_vietnamese_alphabet_not_code_points():
    # given: a < ă < â < b ... d < đ < e < ê ... o < ô < ơ ... u < ư
    words = ["đào", "dao", "ư", "u", "ơn", "ôn", "on", "ân", "ăn", "an", "bé"]
    # when / then
    assert _sorted(words) == ["an", "ăn", "ân", "bé", "dao", "đào", "on", "ôn", "ơn", "u", "ư"]


def test_sort_key_orders_tones_level_grave_hook_tilde_acute_dot():
    assert _sorted(["mạ", "má", "mã", "mả", "mà", "ma"]) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_sort_key_letters_outweigh_tones():
    # "Ánh" and "Anh" differ by tone only; "Ang" differs by a letter, which decides first.
    assert _sorted(["Ánh", "Ang", "Anh"]) == ["Ang", "Anh", "Ánh"]


def test_shorter_word_sorts_first():
    assert _sorted(["Anh", "An"]) == ["An", "Anh"]


def test_name_sort_key_orders_by_given_then_family_then_middle():
    # given
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị", "An"),
        ("Lê", "Văn", "Bình"),
        ("Lê", "Anh", "Bình"),
    ]
    # when
    ordered = sorted(people, key=lambda p: name_sort_key(*p))
    # then
    assert ordered == [
        ("Nguyễn", "Thị", "An"),
        ("Lê", "Anh", "Bình"),
        ("Lê", "Văn", "Bình"),
        ("Trần", "Văn", "Bình"),
    ]


def test_sort_key_holds_only_digits():
    # Digits compare the same under every database collation.
    assert sort_key("Đỗ Thị Ánh", "Hà-Nội 2").isdigit()


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ ", max_size=20))
def test_sort_key_is_the_same_for_nfc_and_nfd(text):
    assert sort_key(text) == sort_key(unicodedata.normalize("NFD", text))
