"""An author as git's commit takes it from git mailinfo's Author and Email (ident.c fmt_ident, IDENT_STRICT)."""

from __future__ import annotations

# ident.c crud(): bytes up to 32 and these ASCII punctuation marks; never a byte of a non-ASCII character.
_CRUD = frozenset(".,:;<>\"\\'")
# strbuf_addstr_without_crud drops these from the rest too: they delimit an ident line.
_DELIMITERS = str.maketrans("", "", "\n<>")


def _crud(c: str) -> bool:
    return c <= " " or c in _CRUD


def without_crud(text: str) -> str:
    """``text`` as ident.c strbuf_addstr_without_crud copies it into a commit: crud dropped from both ends,
    newlines and angle brackets from the rest (``'Ann Author'`` is ``Ann Author``, ``Jr.`` is ``Jr``)."""
    start, end = 0, len(text)
    while start < end and _crud(text[start]):
        start += 1
    while end > start and _crud(text[end - 1]):
        end -= 1
    return text[start:end].translate(_DELIMITERS)


def ident_refusal(name: str, email: str) -> str | None:
    """Why git am stops at committing a patch whose mailinfo Author is ``name`` (its Email ``email``), in git's
    words (fmt_ident dies: the name is empty, or crud alone); None when git takes it."""
    if not name:
        return f"empty ident name (for <{email}>) not allowed"
    if all(_crud(c) for c in name):
        return f"name consists only of disallowed characters: {name}"
    return None
