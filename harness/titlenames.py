"""A patch a review reply names by its title: the revision's own subjects, read as its number would be."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from harness.droprequest import drop_sentence
from harness.heldback import left_unapplied, left_unthanked, numbered_request
from harness.memo import Table, by_identity
from harness.model import Patch
from harness.naknumbers import nak_numbers
from harness.ordinalnames import ordinals_as_numbers
from harness.regate import gated
from harness.replywords import sentences
from harness.thanksummary import entry_spans

# Quotes a title may stand in, and the "[PATCH v3 07/26]" tag a pasted subject keeps.
_OPEN, _CLOSE = r"""(?:["'`“‘«]\s*)?""", r"""(?:\s*["'`”’»])?"""
_TAG = r"(?:\[[^\]\n]*\]\s*)?"
# Two patches named one after the other ("patch 2 and patch 5"): one list, as "patches 2 and 5" is read.
# Not when the second begins a clause approving it ("NAK for patch 3, patch 2 is fine": 3 alone); one saying anything
# else of it ("patch 2 has the same bug") keeps it in the list, a false block being the lesser error.
_LISTED = re.compile(r"\bpatch (\d+(?:\s*(?:,|and|&)\s*\d+)*)(\s*(?:,|and|&)\s*)patch (?=\d+(?:/\d+)?\b(?!\s+(?:"
                     r"(?:is|are|was|looks?|seems?|stays?|remains?)\s+(?:(?!not\b|never\b|hardly\b)\w+\s+)?(?:fine|ok|okay|good|correct|right|"
                     r"great|sane)|LGTM|can\s+(?:stay|go\s+in|be\s+applied))\b))", re.I)
# A subject's prefix ("x86/virt/tdx: "): what is left is a title only when quoted whole.
_PREFIX = re.compile(r"^[\w./,+-]+(?:\s*:\s*[\w./,+-]+)*\s*:\s+")
_LEAST_WORDS = 3  # a quoted title without its prefix shorter than this names no patch


def titles_as_numbers(text: str, patches: Sequence[Patch]) -> str:
    """``text`` with each title of ``patches`` it holds (its words as the mailer wrapped them, any case, in quotes or
    with its ``[PATCH ...]`` tag, or without its subsystem prefix when quoted) made ``patch N``, N its number: a NAK
    "for 'x86/virt/tdx: Add ...'" below the cover letter is of that patch, as "NAK for patch 3" is. The longest
    title first: one holding another's is its own patch's."""
    named = sorted(((p.number, t) for p in patches if p.number and (t := p.mail.subject.title.split())),
                   key=lambda nt: -len(" ".join(nt[1])))
    for number, words in named:
        if _absent(words, text):
            continue
        title = r"(?<![\w/])" + r"\s+".join(map(re.escape, words)) + r"\b" * words[-1][-1].isalnum()
        text = re.sub(_TAG + _OPEN + title + _CLOSE, f"patch {number}", text, flags=re.I)
    for number, words in named:
        rest = _PREFIX.sub("", " ".join(words)).split()
        if len(rest) >= _LEAST_WORDS and len(rest) < len(words) and not _absent(rest, text):
            quoted = r"""["'`“‘«]\s*""" + r"\s+".join(map(re.escape, rest)) + r"""\s*["'`”’»]"""
            text = re.sub(quoted, f"patch {number}", text, flags=re.I)
    while (m := _LISTED.search(text)) is not None:
        text = text[:m.start()] + f"patch {m.group(1)}{m.group(2)}" + text[m.end():]
    return text


def _absent(words: Sequence[str], text: str) -> bool:
    """Whether a title's ``words`` surely do not all appear in ``text``, as the ignore-case pattern of them would find
    them, so that the pattern need not be made: compiling each title's cost about a millisecond, and most replies
    name no title. Told for ASCII words and text alone, where re.IGNORECASE matches a letter with its other ASCII
    case and nothing else (it matches 's' with U+017F, 'k' with U+212A): other text is left to the pattern."""
    if not text.isascii() or not all(w.isascii() for w in words):
        return False
    lowered = text.lower()
    return any(w.lower() not in lowered for w in words)


def named_numbers(text: str, patches: Sequence[Patch], sentences: Callable[[str], list[str]]) -> set[int] | None:
    """The patch numbers ``sentences`` of ``text`` (its NAKs, or its withdrawals of one) name, by number or by the
    title of one of the revision's ``patches`` ("NAK for patch 3", "Patch 3: NAK", "my NAK of 'x86/...: Add ...'");
    None when one of them names none (it is of the message it answers)."""
    each = named_each(text, patches, sentences)
    return None if None in each else {n for named in each for n in named or ()}


def named_each(text: str, patches: Sequence[Patch], sentences: Callable[[str], list[str]]) -> list[set[int] | None]:
    """For each of ``sentences`` of ``text``, the patch numbers it names (named_numbers), None for one naming none."""
    text = as_numbers(text, patches)
    flat = " ".join(text.split())
    out: list[set[int] | None] = []
    for said in sentences(text):
        at = max(flat.find(" ".join(said.split())), 0)
        named = nak_numbers(said, flat[:at], flat[at + len(" ".join(said.split())):])
        out.append(None if named is None else set(named))
    return out


# The whole series named as what a NAK or a request to drop is of: "NAK to the whole series", "This series: NAK",
# "NAK for all patches", "Please drop the entire series". Given below one patch, it is every patch's.
_SERIES = (r"(?:(?:the|this|that|your)\s+(?:whole\s+|entire\s+)?(?:series|patch\s*set|patch\s+series)|"
           r"all\s+(?:of\s+)?(?:the\s+|these\s+|your\s+)?patches|(?:the\s+)?series\s+as\s+a\s+whole)\b")
_SERIES_NAK = gated(rf"\bNAC?K(?:ed)?\s+(?:for|to|on|of|against)\s+{_SERIES}|^\W*(?:for\s+)?{_SERIES}\s*[:,]\s*"
                         r"NAC?K\b", re.I)
_SERIES_DROP = gated(rf"\b(?:drop|discard|abandon|revert)\s+{_SERIES}(?!['’]s)|{_SERIES}\s+(?:should|must|needs\s+"
                          r"to|has\s+to)\s+(?:\w+\s+)?be\s+(?:dropped|reverted)\b", re.I)


_SERIES_HEAD = gated(rf"(?:^|[.!?;]\s)\W*(?:for\s+)?{_SERIES}\s*:\s*$", re.I)


def nak_of_series(text: str, sentences: Callable[[str], list[str]]) -> bool:
    """Whether one of the NAK ``sentences`` of ``text`` names the whole series as what it is of (_SERIES_NAK), or
    follows a "This series:" that does."""
    flat = " ".join(text.split())
    return any(_SERIES_NAK().search(s) or _SERIES_HEAD().search(flat[: max(flat.find(s), 0)]) for s in sentences(text))


def drop_by_name(text: str, patches: Sequence[Patch]) -> tuple[tuple[int, ...], str] | None:
    """The patches a reply asks to drop by number or by title ("Please drop 'x86/...: Add ...'", "TITLE: please
    drop"), or all of ``patches`` when it asks to drop the whole series, with the sentence as the reviewer wrote it
    (numbered_drop), or holds back from what its sender applied ("Applied 1-3, 4 needs work.": harness.heldback);
    None when it names none. Read once per text and patches (by identity: a reply's objection asks it again below
    each patch, for each variant applying them; the corpus' eval asked 38 times, of 5)."""
    return by_identity("drop by name", tuple(patches), (text,), lambda: _drop_by_name(text, patches), _READ)


# drop_by_name's and as_numbers', a table of their own: an entry per reply and patches (harness.memo.by_identity).
_READ: Table = {}


def _drop_by_name(text: str, patches: Sequence[Patch]) -> tuple[tuple[int, ...], str] | None:
    # A b4 thank-you's summary read as written: its "[1/3] TITLE" lines are no titles named to drop.
    numbered, titles = _numbered(text, patches), series_titles(patches)
    asked = numbered_request(numbered, titles) or left_unthanked(text, titles)
    # Some applied by number, the rest not ("Applied patches 1 and 3, thanks."): held back too, a thank-you's aside.
    own = revision_of(patches)
    if left_unthanked(text, titles) is None \
            and (rest := left_unapplied(numbered, patch_total(patches), own)) is not None:
        asked = (tuple(sorted({*rest[0], *(asked[0] if asked else ())})), asked[1] if asked else rest[1])
    whole = drop_sentence(text)
    if asked is None and whole is not None and _SERIES_DROP().search(whole):
        return tuple(p.number for p in patches if p.number), whole
    if asked is None:
        return None
    numbers, said = asked
    before, after = sentences(text), sentences(numbered)  # read in place: "the rest" is of what came before it
    if len(before) == len(after) and said in after:
        return numbers, before[after.index(said)]
    return numbers, next((s for s in sentences(text) if as_numbers(s, patches) == said), said)


def _numbered(text: str, patches: Sequence[Patch]) -> str:
    """as_numbers of ``text`` with the lines of a b4 thank-you's summary kept as written: "[2/2] TITLE" is read by
    its title against the series' (harness.thanksummary), not made "patch 3" with its counter lost (or left alone
    when it names no patch, its counter then read as the number's patch)."""
    pieces, at = [], 0
    for start, end in entry_spans(text):  # each text between two summary lines read, the lines kept
        pieces += [as_numbers(text[at:start], patches), text[start:end]]
        at = end
    return "".join([*pieces, as_numbers(text[at:], patches)])


def as_numbers(text: str, patches: Sequence[Patch]) -> str:
    """``text`` with the patches it names by title (titles_as_numbers) or by place in the series ("the last two":
    harness.ordinalnames) named by number. Once per text and patches, as drop_by_name (the corpus' eval: 22 asks
    of 6)."""
    return by_identity("as numbers", tuple(patches), (text,),
                       lambda: ordinals_as_numbers(titles_as_numbers(text, patches), patch_total(patches)), _READ)


def revision_of(patches: Sequence[Patch]) -> int | None:
    """The revision ``patches`` are of (their subjects' "v2"; v1 when none says), None for no patch."""
    return patches[0].mail.subject.version if patches else None


def series_titles(patches: Sequence[Patch]) -> tuple[str, ...]:
    """The titles of the revision of ``patches``, patch N's at N-1 ("" for one missing), as a b4 thank-you lists them
    (harness.thanksummary)."""
    by = {p.number: p.mail.subject.title for p in patches if p.number}
    return tuple(by.get(n, "") for n in range(1, patch_total(patches) + 1))


def patch_total(patches: Sequence[Patch]) -> int:
    """How many patches the revision of ``patches`` has: the largest number they or their subjects give ("[PATCH
    2/4]" with 4/4 missing: 4)."""
    return max((n for p in patches for n in (p.number, p.mail.subject.total or 0)), default=0)
