"""Text analysis for bilingual search: Chinese word segmentation (jieba), English stemming (Snowball).

``analyse(text)`` gives the index terms of a text in either language (or both mixed): Chinese runs
are segmented with ``jieba.cut_for_search`` (which also yields the shorter words inside long ones,
so 二氧化碳捕集 finds 捕集), Latin words are lower-cased and stemmed with the Snowball English
stemmer (desulfurization -> desulfur). jieba loads its dictionary on first use.
"""

from __future__ import annotations

import logging
import re
import warnings
from functools import cache
from typing import Any

__all__ = ["analyse"]

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*|\d+(?:\.\d+)?")
_HAN = re.compile(r"[\u3400-\u9fff]+")


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def _jieba() -> Any:
    # jieba 0.42.1's sources hold invalid escape sequences ("\."): compiling them on first import warns
    # (SyntaxWarning), which a strict warnings filter (python -W error, the test suite) turns into an error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def analyse(text: str) -> list[str]:
    """Index terms of ``text``: stemmed English words and segmented Chinese words, in order."""
    terms: list[str] = []
    for chunk in re.split(r"([\u3400-\u9fff]+)", text or ""):
        if not chunk:
            continue
        if _HAN.fullmatch(chunk):
            terms.extend(word for word in _jieba().cut_for_search(chunk) if word.strip())
        else:
            words = [word.lower() for word in _LATIN.findall(chunk)]
            terms.extend(_stemmer().stemWords(words))
    return terms
