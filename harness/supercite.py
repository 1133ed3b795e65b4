"""Lines marked with a name or initials (supercite, Outlook inline answers), read as whose they are.

Supercite's quotes ("Mae> NAK", as Emacs and Gnus write them) and Outlook's answers inline in a copy ("[OO] NAK").
"""

from __future__ import annotations

import re

from harness.attribution import QUOTE, attribution
from models.lazyre import lazy

# A line quoted with its author's name or initials before the ">" ("Mae> NAK", " MM> text", "MM>" alone): up to five
# letters, at most one blank before them, a blank or the line's end after. A C expression ("a > b", "x>y") and a
# prompt ("gdb> bt") are not: they are placed by _RUN's rules.
_CITED = lazy(r"^[ \t]?([A-Za-z]{1,5})>(?=[ \t]|$)[ \t]?")
_ANY_CITED = re.compile(r"^(?:>[ \t]?)*[ \t]?[A-Za-z]{1,5}>(?=[ \t]|$)", re.M)  # a line _CITED takes, quoted or not


def as_quotes(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``numbered`` with each supercite line made a quote one level deeper (cited_lines)."""
    return cited_lines(numbered)[0]


def cited_lines(numbered: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """``numbered`` with each supercite line made a "> " line, and the name each run of them quoted inside a quote
    is marked with, by the input line it starts on (whose words they are where no attribution says).

    At the top: a run of consecutive lines with one capitalised prefix ("MM>" on two lines and more; a prompt is lower
    case), or a prefix that is the name or initials of the author an attribution above names ("Mae Maint
    <mae@example.org> writes:" then "Mae> NAK" or "mm> NAK"). Inside a ``>`` quote ("> Mae> NAK", a reply that quoted
    Mae's words as supercite does, quoted in turn): one such line is enough when capitalised, the line being quoted
    either way; it is a quote one level deeper ("> > NAK"), Mae's words, not those of the sender the outer quote is
    of (it was read as theirs, its sentence "Mae> NAK, ...", held by no message). A mark nested in another ("BO> XY>
    NAK", any case, one line is enough) is a quote within a quote, the inner mark's words: one such line was read
    as the reply's own words, its NAK the replier's, and "> BO> XY> NAK" as BO's."""
    if _ANY_CITED.search("\n".join(t for _, t in numbered)) is None:  # most replies: one search, no line loop
        return numbered, {}
    out, marks, author, i = list(numbered), dict[int, str](), dict[str, frozenset[str]](), 0
    cited = _CITED()
    while i < len(out):
        prefix, text = quote_marks(out[i][1])
        m = cited.match(text)
        if m is None:
            who = attribution(text)
            author[prefix] = _names(who) if who is not None else author.get(prefix, frozenset())
            i += 1
            continue
        run = [m]
        while i + len(run) < len(out) and (n := cited.match((at := quote_marks(out[i + len(run)][1]))[1])) is not None \
                and at[0] == prefix and n.group(1) == m.group(1):
            run.append(n)
        capital = m.group(1)[0].isupper()
        inner = [_inner(quote_marks(out[k][1])[1][cited.end():]) for k, cited in enumerate(run, i)]
        if (capital and (len(run) >= 2 or prefix)) or m.group(1).lower() in author.get(prefix, frozenset()) \
                or any(name for _, name, _ in inner):
            for k, (depth, name, rest) in enumerate(inner, i):
                out[k] = (out[k][0], prefix + "> " * depth + rest)
                if name or (prefix and k == i):
                    marks[out[k][0]] = name or m.group(1)
        i += len(run)
    return out, marks


def _inner(rest: str) -> tuple[int, str | None, str]:
    """What follows a line's supercite mark: its depth as a quote (1, or one more for each mark nested in it: "BO>
    XY> NAK" is XY's words that BO quoted), the innermost nested mark's name (None: none) and the words."""
    depth, name = 1, None
    while (n := _CITED().match(rest)) is not None:
        depth, name, rest = depth + 1, n.group(1), rest[n.end():]
    return depth, name, rest


def quote_marks(line: str) -> tuple[str, str]:
    """A line's ``>`` quote marks ("" at the top) and the rest."""
    q = QUOTE.match(line)
    return (q.group(1), line[q.end():]) if q is not None else ("", line)


def _names(who: str) -> frozenset[str]:
    """What a quote of ``who`` may be marked with: each word of their name and their initials, in lower case."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", re.sub(r"<[^>]*>", " ", who))
    return frozenset({w.lower() for w in words} | {"".join(w[0] for w in words).lower()}
                     | {"".join(w[0] for w in words[-2:]).lower()})


# An answer written inline in a copy of the message answered, marked with the replier's name or initials in brackets
# ("[OO] NAK, ...", "[Olga]: see below"), as Outlook's users write inside the copy it makes.
_MARKED = lazy(r"^[ \t]*\[([A-Za-z]{1,12}(?: [A-Za-z]{1,12})?)\][ \t]*:?[ \t]*(?=\S)")


# What ends a marked answer's sentence on its line, or a line that is none of its words: a trailer, code, a quote.
# Compiled at the first inline answer (lazy): most inputs have none.
_ENDS = lazy(r"[.!?:;)]\s*$")
_NOT_WORDS = lazy(r"^\s*(?:[A-Za-z][\w-]*-by\s*:|[-+@>]|diff |\t)")
# A line opening a sentence of its own ("The copy's line.", "Withdrawn the old loop ..."): a capital, then a small
# letter. A name or macro in capitals ("SEAMCALL spins") may go on a sentence.
_OPENS = lazy(r"^\s*[A-Z][a-z']")
# An answer that is a NAK ("NAK from me", "NACK.", "Nacked-by: ..."): whole on its line, but for a reason a colon or a
# dash after it opens ("NAK: the loop", "NAK from me - it spins"), which runs on as a sentence does.
_NAK_ANSWER = lazy(r"^\W*(?:self[-\s]?)?(?:NAC?K(?:ed|ing)?|N\.A\.(?:C\.)?K\.?)(?!\w)", re.I)
_NAK_REASON = lazy(r"^\W*(?:self[-\s]?)?(?:NAC?K(?:ed|ing)?|N\.A\.(?:C\.)?K\.?)(?![\w-])[^:\n]*?(?::|\s[-–—]+\s)",
                   re.I)


def marked_inline(lines: list[tuple[int, str]], sender: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The lines of a copy (``lines``) that are the sender's own, marked with their name or initials (the mark taken
    off, each a paragraph of its own) with the lines their sentence runs on to (_continued), and the copy's other
    lines."""
    # Initials in capitals or the first name as the From: name writes it, not every word of the name in any case:
    # "[PATCH]" is no mark of a "Patch Bot".
    # Its whole name too ("[Bob Other] NAK"), and its initials in any case ("[bo]"): each was left in the copy, its NAK
    # read as the copied sender's.
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", re.sub(r"<[^>]*>", " ", sender))
    initials = {"".join(w[0] for w in words).upper(), "".join(w[0] for w in words[-2:]).upper()} - {""}
    names = {*initials, *words[:1], " ".join(words)}
    own: list[tuple[int, str]] = []
    rest: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        m = _MARKED().match(text)
        if m is None or (m.group(1) not in names and not (len(m.group(1)) > 1 and m.group(1).upper() in initials)):
            rest.append((number, text))
            i += 1
            continue
        run = _continued(lines, i + 1, text[m.end():])
        own += [(number, ""), (number, text[m.end():]), *lines[i + 1:i + 1 + run]]
        i += 1 + run
    return own, rest


def _continued(lines: list[tuple[int, str]], at: int, said: str) -> int:
    """How many lines from ``at`` a marked answer ``said`` runs on to: while its sentence has not ended ("[OO] This
    patch should not be" then "merged, the loop spins."; the line below was left in the copy, the request unread),
    up to a blank line, a line that is no words of it (a trailer, code, a quote, another mark) or the line ending
    the sentence. An answer of one word ("[BO] NAK", "[BO] Agreed") is whole, and a line opening a sentence (_OPENS)
    goes on none: "[BO] NAK" took in the copied "Withdrawn the old loop ..." below it, read as "NAK withdrawn" (the
    gate passed). A NAK is whole on its line unless a colon or dash opens its reason (_NAK_ANSWER): "[BO] NAK from
    me" took in the copy's "because the loop ..." and "the copy goes on." below it, cited as the NAK's."""
    n = 0
    if len(said.split()) < 2 or (_NAK_ANSWER().match(said) and not _NAK_REASON().match(said)):
        return 0
    while not _ENDS().search(said) and at + n < len(lines):
        text = lines[at + n][1]
        if not text.strip() or _NOT_WORDS().match(text) or _MARKED().match(text) or _OPENS().match(text):
            break
        said, n = text, n + 1
    return n
