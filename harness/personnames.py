"""A person's name as others spell it in ASCII ("Joerg Roedel", "Jorg Rodel" for Jörg Rödel)."""

from __future__ import annotations

import unicodedata

# How a name of letters with marks is spelt in ASCII by its owner or others: German "Jörg Rödel" is "Joerg
# Roedel" (his own kernel mail name), "Jorg Rodel" with the marks dropped; the Nordic and ligature letters likewise.
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa",
                           "œ": "oe", "þ": "th", "đ": "d", "ł": "l"})
_LIGHT = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "þ": "th", "đ": "d", "ł": "l"})


def ascii_spellings(text: str) -> set[str]:
    """A case-folded ``text`` and its ASCII spellings: transliterated, and with its marks dropped (NFKD)."""
    text = text.casefold()
    plain = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    bare = unicodedata.normalize("NFKD", text.translate(_LIGHT)).encode("ascii", "ignore").decode()
    return {text, plain, bare} - {""}


def bare_ascii(text: str) -> str:
    """``text`` lower-cased in ASCII with its marks dropped (NFKD), a letter NFKD keeps whole spelt as its base
    letter (``Łucja Śmiałek`` -> ``lucja smialek``, ``Bjørn`` -> ``bjorn``): dropped by the ASCII encoding,
    it made ``ucja smiaek``; what has no ASCII spelling (``李``) is dropped."""
    return unicodedata.normalize("NFKD", text.lower().translate(_LIGHT)).encode("ascii", "ignore").decode()
