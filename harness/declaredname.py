"""Whether C text declares a name (a parameter or a local), which a statement of the name alone then reads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache


def declared_outside(name: str, text: str, types: frozenset[str]) -> bool:
    """declared, where a name ``text`` spells outside its conditional groups needs a declaration outside them too
    (harness.typednames.unconditional: '#if 0' then 'long SC_X;' declares nothing a build of 'SC_X;' after the
    group sees); a name spelt only inside groups, a declaration anywhere in ``text``."""
    from harness.typednames import unconditional

    plain = unconditional(text)
    if plain != text and re.search(rf"\b{re.escape(name)}\b", plain):
        return declared(name, plain, types)
    return declared(name, text, types)


@lru_cache(maxsize=4096)
def declared(name: str, text: str, types: frozenset[str] | None = None) -> bool:
    r"""Whether ``text`` declares ``name`` (a parameter or local: 'int n', 'u64 *n', 'int a, n;'), which a statement
    of it alone reads, not a macro ('else\n\tSC_X;' declares nothing, nor do 'n++, SC_X;' and 'f(n, SC_X)'): a
    match of ``(\w+|\])\s+\**\s*\bNAME\s*[,;)=\[]`` whose word is no statement's and, before '*'s, stands where a
    declaration's type does (_pointer_type: not 'n = n * SC_X;'), or of ``[*,]\s*\**\s*\bNAME\s*[,;=\[]`` after the
    type words of a declaration (re.finditer's matches, found by _starts without a pattern per name); ``types`` as
    _pointer_type's. Kept by name, text and types: each variant's files hold most pieces again (415 asked, 75
    distinct, in the corpus' eval)."""
    if _WORD.fullmatch(name) is None:  # not a word: the name's own patterns
        return _declared_by_patterns(name, text)
    back = text[::-1]
    if any(_TYPE_WORD.match(text, q).group() not in _NOT_TYPES and _pointer_type(text, q, types)  # type: ignore[union-attr]
           for q in _starts(text, back, name, _TYPE_BEFORE, _TYPE_AFTER)):
        return True
    return any(_list_head(text, q) for q in _starts(text, back, name, _LIST_BEFORE, _LIST_AFTER))


def _pointer_type(text: str, q: int, types: frozenset[str] | None) -> bool:
    """Whether the word at ``q`` of a match 'W *NAME' (or 'W NAME', always) stands where a pointer declaration's
    type does, not a product's operand ('n = n * SC_X;', 'return n * SC_X;', 'g(a, n * SC_X)'): before an
    initialiser's '=' ('W *p = q', no lvalue as a product: C11 6.5.16p2), after other specifiers back to the
    statement's or the parameter's start ('static W *p', 'struct s *p'), or alone there with W a type: C's, the
    prelude's, or given ``types`` (harness.typednames: the files use it as one elsewhere; None: any word)."""
    m = _POINTER_AT.match(text, q)
    if m is None or not m.group(2) or (m.group(3) == "=" and not m.group(4)):
        return True
    start = max(text.rfind(c, 0, q) for c in ";{}(,")
    head = text[start + 1:q].split()
    if m.group(1) == "]" or any(_WORD.fullmatch(w) is None or w in _NOT_TYPES or w == "sizeof" for w in head):
        return False
    return bool(head) or types is None or m.group(1) in types or m.group(1) in _c_types()


@lru_cache(maxsize=1)
def _c_types() -> frozenset[str]:
    """C's type keywords and the prelude's typedefs: a word before '*' that is a type wherever it stands."""
    from models.declnames import KEYWORDS
    from models.scopes import PRELUDE_TYPEDEFS

    return frozenset(KEYWORDS | set(PRELUDE_TYPEDEFS))


def _starts(text: str, back: str, name: str, before: re.Pattern[str], after: re.Pattern[str]) -> Iterator[int]:
    r"""Where each match of ``re.finditer(B + r"\b" + re.escape(name) + after.pattern, text)`` starts, left to right
    and not overlapping, ``name`` a word (\w+) and ``before`` the pattern B reversed, matched in ``back`` (``text``
    reversed) from where the name starts. B here is rigid (a word or a sign, blanks, '*'s, blanks: its parts of
    different characters), so its longest match read backwards is the leftmost start finditer takes; it is bounded
    by the end of the match before, as finditer resumes there."""
    last = 0
    at = text.find(name)
    while at >= 0:
        tail = _WORD_START.match(text, at) and after.match(text, at + len(name))
        head = before.match(back, len(text) - at, len(text) - last) if tail else None
        if tail and head is not None:
            yield len(text) - head.end()
            last = tail.end()
        at = text.find(name, at + 1)


def _list_head(text: str, at: int) -> bool:
    """Whether the ',' or '*' at ``at`` follows the type words of a declaration (``int a, n``), in the statement."""
    head = text[max(text.rfind(c, 0, at) for c in ";{}") + 1:at]
    return head.count("(") == head.count(")") and _DECLARATION.match(head) is not None


def _declared_by_patterns(name: str, text: str) -> bool:
    r"""declared by the two patterns naming ``name``: for a name not all word characters, which _starts does not
    read (its \b and the words around it would fall elsewhere)."""
    v = re.escape(name)
    for m in re.finditer(rf"(\w+|\])\s+\**\s*\b{v}\s*[,;)=\[]", text):
        if m.group(1) not in _NOT_TYPES:
            return True
    return any(_list_head(text, m.start()) for m in re.finditer(rf"[*,]\s*\**\s*\b{v}\s*[,;=\[]", text))


# Words before a name that declare nothing ('return n;').
_NOT_TYPES = frozenset({"break", "continue", "return", "else", "do", "default", "case", "goto"})
_WORD = re.compile(r"\w+")
_TYPE_WORD = re.compile(r"\w+|\]")
_TYPE_BEFORE = re.compile(r"\s*\**\s+(?:\w+|\])")  # (\w+|\])\s+\**\s* reversed
_TYPE_AFTER = re.compile(r"\s*[,;)=\[]")
_LIST_BEFORE = re.compile(r"\s*\**\s*[*,]")  # [*,]\s*\**\s* reversed
_LIST_AFTER = re.compile(r"\s*[,;=\[]")
_WORD_START = re.compile(r"\b")  # where a word starts (the name is one)
# A match _starts finds for _TYPE_BEFORE: its word, its '*'s, what follows the name, and a second '=' ('==')
_POINTER_AT = re.compile(r"(\w+|\])\s+(\**)\s*\w+\s*([,;)=\[])(=?)")


# The start of a declaration a later declarator of which is written after a comma: type words, then a name.
_DECLARATION = re.compile(r"\s*(?!(?:return|else|do|case|goto)\b)(?:[A-Za-z_]\w*\s+)+\**\s*[A-Za-z_]\w*\s*(?:[=\[,]|$)")
