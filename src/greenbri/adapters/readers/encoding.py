"""Text encodings: detect, decode strictly, and explain failures.

Detection (:func:`decode_text`) tries, in order, and takes the first that fits:

1. a byte-order mark (UTF-8, UTF-16);
2. strict UTF-8 (any non-ASCII text that decodes as UTF-8 almost surely is);
3. strict GBK, then GB18030, but only if the decoded text is plausibly Chinese:
   at least 80% of its non-ASCII characters must be in the common GB2312 set.
   Western text decodes as GBK surprisingly often (``é`` followed by a letter
   is a valid GBK pair) but lands outside GB2312, so it is rejected here;
4. a single-byte encoding: latin-1 when no byte is in 0x80-0x9f, else
   windows-1252 as the WHATWG encoding standard defines it (cp1252, with its
   five undefined bytes read as latin-1). Files labelled "latin-1" are very
   often really cp1252 (curly quotes 0x91-0x94, dashes 0x96-0x97, euro 0x80),
   and for bytes outside 0x80-0x9f the two are identical. When the result
   looks like mojibake (words made mostly of accented letters, as Cyrillic or
   Greek read as latin-1 do), charset-normalizer picks the single-byte code
   page (cp1251, koi8-r, cp1253, ...) instead.

A single-byte reading is rejected as undecodable when it holds a NUL byte or
when control characters (C0 other than tab/CR/LF, DEL, C1 0x80-0x9f) are more
than 1% of its non-ASCII characters: binary junk is then reported with its byte
offset and line, instead of being read as latin-1 nonsense. A UTF-8 reading is
rejected only for NUL bytes.
"""

from __future__ import annotations

import codecs
import re

from greenbri.core.errors import EncodingError

__all__ = ["canonical_encoding", "decode_text"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_WORD = re.compile(r"[^\W\d_]{3,}")
_SINGLE_BYTE_CANDIDATES = [
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1256",
    "cp1257",
    "koi8_r",
    "cp874",
    "iso8859_5",
]
_FRIENDLY = {
    "utf_8": "utf-8",
    "utf_8_sig": "utf-8-sig",
    "latin_1": "latin-1",
    "iso8859-1": "latin-1",
    "iso8859_1": "latin-1",
    "gbk": "gbk",
    "gb18030": "gb18030",
    "gb2312": "gb2312",
}


def canonical_encoding(name: str) -> str:
    """A stable, readable name for an encoding ('latin-1', 'utf-8', 'gbk', 'cp1251'...).

    Raises LookupError for names Python does not know.
    """
    python_name = codecs.lookup(name).name
    return _FRIENDLY.get(python_name.replace("-", "_"), _FRIENDLY.get(python_name, python_name))


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _undecodable(data: bytes, offset: int, source: str, what: str, hint: str) -> EncodingError:
    byte = data[offset : offset + 1].hex() or "end of file"
    return EncodingError(
        f"{what} (first bad byte 0x{byte} at byte offset {offset}).",
        source=source,
        location=f"line {_line_of(data, offset)}",
        hint=hint,
    )


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the 5 bytes cp1252 leaves undefined as latin-1 does (the WHATWG windows-1252)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


_LATIN1_FALLBACK = "greenbri-latin1-fallback"
codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def _mostly_printable(text: str) -> bool:
    """No NUL, and control characters are at most 1% of the non-ASCII characters.

    Real latin-1/cp1252 files sometimes hold a stray C1 byte (a UTF-8 fragment
    pasted in); binary junk is mostly control characters.
    """
    if "\x00" in text:
        return False
    controls = len(_CONTROL.findall(text))
    wide = sum(1 for char in text if ord(char) > 0x7F)
    return controls * 100 <= wide


def _first_control(text: str) -> int | None:
    found = _CONTROL.search(text)
    return found.start() if found else None


def _looks_chinese(text: str) -> bool:
    wide = [char for char in text if ord(char) > 0x7F]
    if not wide:
        return True
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.8 * len(wide)


def _looks_like_mojibake(text: str) -> bool:
    """Latin-1 text whose accented words are mostly accents: probably another code page."""
    words = [word for word in _WORD.findall(text) if any(ord(char) > 0x7F for char in word)]
    if len(words) < 3:
        return False
    heavy = [word for word in words if sum(ord(char) > 0x7F for char in word) * 2 > len(word)]
    return len(heavy) * 3 > len(words)


def _other_single_byte(data: bytes) -> str | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data[:200_000], cp_isolation=_SINGLE_BYTE_CANDIDATES).best()
    if best is None:
        return None
    return canonical_encoding(best.encoding)


def _decode_given(data: bytes, encoding: str, source: str, origin: str) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise EncodingError(
            f"Unknown text encoding {encoding!r} ({origin}).",
            source=source,
            hint="use a Python codec name such as utf-8, gbk, gb18030, latin-1 or cp1251.",
        ) from None
    except UnicodeDecodeError as error:
        raise _undecodable(
            data,
            error.start,
            source,
            f"The text cannot be decoded as {encoding!r} ({origin})",
            "pass the right --encoding (e.g. utf-8, gbk, latin-1), or leave it out to detect it.",
        ) from None
    return text.removeprefix("\ufeff")


def decode_text(data: bytes, source: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding name)``.

    ``encoding`` (from the user) wins; otherwise the encoding is detected as the
    module docstring describes. Raises :class:`EncodingError` naming the first
    bad byte's offset and line when nothing fits.
    """
    if encoding:
        return _decode_given(data, encoding, source, "as given"), canonical_encoding(encoding)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_given(data[3:], "utf-8", source, "the file starts with a UTF-8 BOM"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_given(data, "utf-16", source, "the file starts with a UTF-16 BOM"), "utf-16"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text:
            return text, "utf-8"
        raise _undecodable(
            data, data.index(b"\x00"), source, "The file holds NUL bytes, so it is not a text table", _HINT
        )
    for candidate in ("gbk", "gb18030"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text) and _first_control(text) is None:
            return text, candidate
    if not _C1_BYTES.search(data):
        text, name = data.decode("latin-1"), "latin-1"
    else:
        text, name = data.decode("cp1252", errors=_LATIN1_FALLBACK), "cp1252"
    if not _mostly_printable(text):
        bad = _first_control(text) or 0
        raise _undecodable(
            data,
            bad,
            source,
            "The text is neither UTF-8, GBK/GB18030 nor latin-1/cp1252: it holds bytes that decode "
            "only to control characters",
            _HINT,
        )
    if _looks_like_mojibake(text):
        other = _other_single_byte(data)
        if other is not None:
            decoded = data.decode(other, errors="replace")
            if "\ufffd" not in decoded and _first_control(decoded) is None:
                return decoded, other
    return text, name


_HINT = (
    "pass the file's encoding with --encoding (e.g. utf-8, gbk, gb18030, latin-1, cp1251), or check "
    "that the file is really a text table and not damaged."
)
