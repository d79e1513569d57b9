"""Encoding detection, .cpg and dBASE language drivers."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from greenbri.adapters.readers.encoding import canonical_encoding, decode_text
from greenbri.adapters.readers.shapefile import encoding_from_cpg, encoding_from_ldid
from greenbri.core.errors import EncodingError

UKRAINIAN = (
    "name,region\nПереброди,Рівненська область\nЧеремське болото,Волинська область\n"
    "Озеро Біле,Рівненська область\nСира Погоня,Рівненська область\n"
)


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_encoding"),
    [
        ("名称,lon\n北京,116.4\n".encode(), "名称,lon\n北京,116.4\n", "utf-8"),
        (codecs.BOM_UTF8 + b"a,b\n1,2\n", "a,b\n1,2\n", "utf-8-sig"),
        ("a,b\nü,2\n".encode("utf-16"), "a,b\nü,2\n", "utf-16"),
        ("名称,经度\n北京,116.4\n上海,121.5\n".encode("gbk"), "名称,经度\n北京,116.4\n上海,121.5\n", "gbk"),
        ("名称\n北京𠀀湿地公园\n".encode("gb18030"), "名称\n北京𠀀湿地公园\n", "gb18030"),
        (
            "Île de Gorée, Cité de Carcassonne".encode("latin-1"),
            "Île de Gorée, Cité de Carcassonne",
            "latin-1",
        ),
        ("l’ancienne Bactriane – 5 €".encode("cp1252"), "l’ancienne Bactriane – 5 €", "cp1252"),
        (UKRAINIAN.encode("cp1251"), UKRAINIAN, "cp1251"),
        (b"plain ascii\n", "plain ascii\n", "utf-8"),
    ],
)
def test_detection(data: bytes, expected_text: str, expected_encoding: str) -> None:
    assert decode_text(data, "f.csv") == (expected_text, expected_encoding)


def test_given_encoding_wins() -> None:
    data = "Gorée".encode("latin-1")
    assert decode_text(data, "f.csv", "latin1") == ("Gorée", "latin-1")
    assert decode_text("北京".encode("gbk"), "f.csv", "GB2312") == ("北京", "gb2312")


def test_given_encoding_that_fails_names_line_and_offset() -> None:
    with pytest.raises(EncodingError) as caught:
        decode_text(b"a,b\nok,1\n\xb1\xb1\xbe\xa9,2\n", "f.csv", "utf-8")
    text = str(caught.value)
    assert "f.csv, line 3" in text and "byte offset 9" in text and "0xb1" in text and "--encoding" in text


def test_unknown_encoding_name() -> None:
    with pytest.raises(EncodingError) as caught:
        decode_text(b"a", "f.csv", "klingon-8")
    assert "klingon-8" in str(caught.value) and caught.value.hint


@pytest.mark.parametrize(
    "data",
    [b"\x81\x8d\x8f\x90\x9d" * 4, b"a,b\n" + bytes(range(0, 32)) * 3, b"ok" + b"\x00\x01 binary"],
)
def test_junk_is_undecodable(data: bytes) -> None:
    with pytest.raises(EncodingError) as caught:
        decode_text(data, "junk.csv")
    assert "junk.csv, line" in str(caught.value) and "byte offset" in str(caught.value)


def test_a_stray_c1_byte_in_a_long_cp1252_text_is_tolerated() -> None:
    # Real exports (the World Heritage list) paste an odd UTF-8 fragment into cp1252 text.
    data = ("Gorée, Zürich, São Paulo, l’été. " * 30).encode("cp1252") + "“x”".encode()
    text, encoding = decode_text(data, "f.csv")
    assert encoding == "cp1252" and text.startswith("Gorée")


@pytest.mark.parametrize(
    ("cpg", "expected"),
    [
        ("UTF-8", "utf-8"),
        ("utf8\n", "utf-8"),
        ("65001", "utf-8"),
        ("GBK", "gbk"),
        ("936", "gbk"),
        ("CP936", "gbk"),
        ("GB2312", "gb2312"),
        ("ANSI 1251", "cp1251"),
        ("1252", "cp1252"),
        ("8859_1", "latin-1"),
        ("88591", "latin-1"),
        ("ISO 8859-1", "latin-1"),
        ("ISO-8859-5", "iso8859-5"),
        ("", None),
        ("nonsense", None),
    ],
)
def test_cpg(cpg: str, expected: str | None) -> None:
    assert encoding_from_cpg(cpg) == expected


def test_ldid() -> None:
    assert encoding_from_ldid(0x4D) == "gbk"
    assert encoding_from_ldid(0xC9) == "cp1251"
    assert encoding_from_ldid(0x57) is None  # "ANSI": whatever the writer's system used
    assert encoding_from_ldid(0) is None
    assert canonical_encoding("ISO-8859-1") == "latin-1"


# Common (GB2312 level 1) hanzi: rows 0xB0-0xD6, every cell 0xA1-0xFE is defined.
_HANZI = st.tuples(st.integers(0xB0, 0xD6), st.integers(0xA1, 0xFE)).map(
    lambda pair: bytes(pair).decode("gb2312")
)
_ASCII = st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789 ,.;-")


@settings(max_examples=60, deadline=None)
@given(hanzi=st.lists(_HANZI, min_size=6, max_size=40, unique=True), filler=st.lists(_ASCII, max_size=40))
def test_chinese_text_survives_gbk_detection(hanzi: list[str], filler: list[str]) -> None:
    # At least six distinct hanzi: a very short GBK text can also be valid UTF-8 (e.g. "全" is C8 AB).
    text = "".join(a + b for a, b in zip(hanzi, (filler + [""] * len(hanzi))[: len(hanzi)], strict=True))
    assert decode_text(text.encode("gbk"), "f.csv") == (text, "gbk")
    assert decode_text(text.encode("utf-8"), "f.csv") == (text, "utf-8")


_ACCENTED = st.sampled_from("àâäçéèêëîïôöùûüñßáíóúãõÀÉÈÇÑÖÜ")
_LETTER = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Western words: an accented letter is followed by a plain letter, as in French, Spanish, German...
_SYLLABLE = st.one_of(_LETTER, st.tuples(_ACCENTED, _LETTER).map("".join))
_WORD = st.lists(_SYLLABLE, min_size=1, max_size=6).map("".join)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(_WORD, min_size=1, max_size=30))
def test_western_text_survives_latin1_detection(words: list[str]) -> None:
    text = " ".join(words)
    expected = "latin-1" if any(ord(char) > 0x7F for char in text) else "utf-8"
    assert decode_text(text.encode("latin-1"), "f.csv") == (text, expected)


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\ufeff")))
def test_any_utf8_text_is_read_back(text: str) -> None:
    assert decode_text(text.encode("utf-8"), "f.csv") == (text, "utf-8")
