"""Whether a request to drop stands: its sender took it back ("Never mind, keep it.") or said the patch is applied."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

from harness.appliedsome import applied_listed, counts_other
from harness.droprequest import applied_sentence, drop_sentence, numbered_drop, reported_alone, reports_only
from harness.heldback import left_unthanked, numbered_request
from harness.keepwords import kept_after, names_request, retracts
from harness.memo import by_identity
from harness.model import Reply
from harness.regate import gated
from harness.regressions import cleared
from harness.replyorder import later_than
from harness.replywords import NAMED_NUMBERS, NUMBERS, SERIES_LIST, listed_numbers
from harness.selfretract import answered_retraction
from harness.sentenceline import sentence_line
from harness.thanksummary import thanks_summary
from models.lazyre import lazy


def drop_stands(drop: Reply, below: dict[str, str], replies: dict[str, Reply], asked: Collection[int] = (),
                numbers: Mapping[str, int] | None = None, titles: Sequence[str] = ()) -> bool:
    """Whether a request to drop stands: its sender neither said the patch is applied since (applied_since) nor took
    the request back (drop_kept; ``asked`` and ``numbers`` as there, ``titles`` as applied_since's)."""
    return not applied_since(drop, below, replies, asked, numbers, titles) \
        and drop_kept(drop, below, replies, asked, numbers, len(titles)) is None


def drop_kept(drop: Reply, below: dict[str, str], replies: dict[str, Reply], asked: Collection[int] = (),
              numbers: Mapping[str, int] | None = None, total: int = 0) -> tuple[Reply, str] | None:
    """The reply of a request to drop's sender that takes it back ("Never mind, keep it.", "Please disregard my
    request to drop it.": harness.keepwords), and its sentence: after the request in its own words, or in a reply
    of theirs below the same message answering it or dated after it, with no NAK of its own. Another's word, a
    quoted one, one put as a condition or a question, or one answering another request of theirs to drop (not
    this one, nor a reply below it) takes nothing back. ``asked``: the patch numbers the request names (none: it is
    of the patch it is below); ``numbers``: each message's patch number (_about_asked); ``total``: the revision's
    patch count (0: not known), a keep counting another ("Keep 2/5." of "Please drop 2/3.") keeps nothing here."""
    if (said := kept_after(drop.own_text)) is not None and _asks_drop(drop) and retracts(said) \
            and _keeps_all(said, drop, total):
        return drop, said
    who, at = drop.mail.own_address, below[drop.mail.msgid]
    for m, r in replies.items():
        if r is drop or not who or below.get(m) != at or r.mail.own_address != who or "NAK" in r.verdicts:
            continue
        if (said := kept_after(r.own_text)) is not None and later_than(r, drop, replies) \
                and not _answers_other_drop(r, drop, replies) and _keeps_all(said, drop, total) \
                and _about_asked(said, asked, (numbers or {}).get(at), r, drop):
            return r, said
        # A report that the patch breaks something, and nothing else, its sender says was mistaken ("False alarm.").
        if (said := cleared(r.own_text)) is not None and later_than(r, drop, replies) and only_a_report(drop) \
                and not _answers_other_drop(r, drop, replies):
            return r, said
    # Its sender's mail taken back whole in an answer to it ("Ignore me, I misread."): read as nothing before.
    return answered_retraction(drop, replies) if not asked else None


def reported_only(r: Reply) -> bool:
    """droprequest.reported_alone of ``r``'s own words: its request to drop is only a report, a regression."""
    return reported_alone(r.own_text)


def only_a_report(drop: Reply) -> bool:
    """Whether ``drop`` objects only by reporting that the patch breaks something (droprequest.reports_only): "Works
    now." lifts "This patch breaks boot." but no request to drop or refusal beside it ("Please drop this patch.")."""
    return reports_only(drop.own_text)


def _about_asked(said: str, asked: Collection[int], number: int | None, r: Reply, drop: Reply) -> bool:
    """Whether a later keep ``said`` in ``r`` naming no patch by number is of what ``drop``, a request naming patches,
    asked: one naming the request ("Please disregard my request to drop it.") is, and one saying it takes the request
    back ("Never mind, keep it.") right below a quote of it, or above every quote answering it; else it keeps the
    patch ``r`` is below (``number``), which lifts the request only when that is every patch asked. "Keep this one."
    below 3/3 lifted "Please drop patch 2." (the gate passed), and so did "Actually, keep this one." below a quote of
    3/3's code."""
    if not asked or NAMED_NUMBERS().search(said) or names_request(said):
        return True
    if retracts(said):
        line = sentence_line(r, said)
        above = max((q for q in r.quotes if line is not None and q.where.line < line), key=lambda q: q.where.line,
                    default=None)
        if above is not None and numbered_request("\n".join(above.lines)) is not None:
            return True  # the request quoted
        if above is None and drop.mail.msgid == (r.mail.in_reply_to or "".join(r.mail.references[-1:])):
            return True
    return number is not None and set(asked) == {number}


def _keeps_all(said: str, drop: Reply, total: int = 0) -> bool:
    """Whether a keep that names patches by number ("Never mind, keep 2/3.") names every patch the request asked by
    number: "keep 2/3" after "Please drop 1/3 and 2/3." lifted the whole request, 1/3 too (the gate passed on it).
    One naming none keeps what the request asked; one naming some, or a request naming none by number, keeps
    nothing here (which of them stands cannot be told from the request alone: it blocks, and says so). One counting
    another total than the revision's ``total`` ("Keep 2/5." below 3 patches) is another series': it keeps nothing."""
    if counts_other(said, total) or _of_another(said, drop):
        return False
    kept = {n for m in NAMED_NUMBERS().finditer(said) for n in listed_numbers(next(g for g in m.groups() if g))}
    if not kept:
        return True
    asked = numbered_request(drop.own_text)
    return asked is not None and set(asked[0]) <= kept


# A keep naming another series or revision than the one the request is of: "Never mind, keep patch 2 of the other
# series." lifted "Please drop patch 2." of this one (the gate passed it). Over-reading one that means this series
# blocks (the lesser error).
_OF = r"(?:\b(?:of|from|in)\s+|\(\s*)(?:(?:the|your|my|his|her|their|that|an?)\s+)?"  # "(other series)" too
_ANOTHER_SET = lazy(_OF + r"(?:other|another|different|separate|earlier|previous|prior|older|newer|later|next|"
                    r"original)\s+(?:patch\s*)?(?:series|sets?|patchsets?|postings?|submissions?|threads?|versions?|"
                    r"revisions?|iterations?|spins?|rounds?)\b", re.I)
_REVISION = lazy(_OF + r"(?:v|version\s+|revision\s+)(\d+)\b", re.I)
# One named by whose it is: "keep patch 2 of Olga's series", "Olga's 2/3", "from Thomas' set" ("Never mind, keep patch
# 2 of Olga's series." lifted "Please drop patch 2." of this one: the gate passed it). A capitalized name, not "I".
_SERIES_NOUN = (r"(?:patch\s*)?(?:series|sets?|patchsets?|postings?|submissions?|threads?|versions?|revisions?|"
                r"patch(?:es)?)\b")
_WHOSE = lazy(r"(?<![\w'’])(?!I['’])(?-i:[A-Z][a-z][\w-]*)(?:['’]s|(?<=s)['’])\s+(?:" + _SERIES_NOUN
              + r"|#?\d+/\d+\b)"
              # "of her series", "of the KVM series" ("Never mind, keep patch 2 of the KVM series." lifted it too).
              + r"|\b(?:of|from|in)\s+(?:his|her|their|the\s+(?!(?:same|current|present|whole|entire|above|posted|"
              r"very|patch)\b)[\w-]+(?:\s+(?!patch\b)[\w-]+)?)\s+(?:patch\s*)?(?:series|sets?|patchsets?|"
              r"postings?)\b", re.I)


def _of_another(said: str, drop: Reply) -> bool:
    """Whether a keep ``said`` names another series (_ANOTHER_SET, _WHOSE) or another revision ("of v1") than the one
    whose thread ``drop``, the request to drop, is in (its subject's version)."""
    if _ANOTHER_SET().search(said) or _WHOSE().search(said):
        return True
    return any(int(v) != drop.mail.subject.version for v in _REVISION().findall(said))


def _asks_drop(r: Reply) -> bool:
    """Whether a reply's own words ask to drop a patch, the one it answers or others by number ("Please drop 3/5 and
    4/5.")."""
    return drop_sentence(r.own_text) is not None or numbered_request(r.own_text) is not None


def _answers_other_drop(r: Reply, drop: Reply, replies: dict[str, Reply]) -> bool:
    """Whether ``r`` answers, the nearest up its chain, another request to drop of its sender than ``drop``: "Never
    mind, keep it." below "Please drop this patch." takes that one back, not "Please drop 1/3 and 2/3." sent before
    (it lifted both, and the gate passed on what was still asked)."""
    who, seen, msgid = r.mail.author_email.lower(), {r.mail.msgid}, r.mail.in_reply_to
    while msgid in replies and msgid not in seen and msgid != drop.mail.msgid:
        seen.add(msgid)
        up = replies[msgid]
        if up.mail.author_email.lower() == who and _asks_drop(up):
            return True
        msgid = up.mail.in_reply_to or (up.mail.references[-1] if up.mail.references else "")
    return False


def applied_since(drop: Reply, below: dict[str, str], replies: dict[str, Reply], asked: Collection[int] = (),
                  numbers: Mapping[str, int] | None = None, titles: Sequence[str] = ()) -> bool:
    """Whether the sender of a request to drop, or of word that they dropped the patch, said later, below the same
    message, that it is applied ("Dropped from my tree." then "Applied again, thanks."), or anywhere in the thread that
    patches it dropped are, by number ("Dropped 2/3." then "Applied 2/3 again." or "Applied 1-3."): answering the drop,
    or dated later while the drop answers it not, with no request to drop of its own. The same Date, unknown dates
    and no answer: the drop stands. ``asked``: the numbers the drop names (none: the patch it is below, ``numbers``);
    ``titles``: the series' patch titles, by which a b4 thank-you counting another total is read (thanksummary)."""
    who, at = drop.mail.own_address, below[drop.mail.msgid]
    said = by_identity("applied", (replies, below), (tuple(titles),), lambda: _applied_words(replies, below, titles))
    if not who or any(r is not drop and later_than(r, drop, replies) for r in said.get((who, at), ())):
        return bool(who)
    dropped = set(asked) or {n for n in [(numbers or {}).get(at, 0)] if n}
    named = by_identity("applied by number", (replies,), (tuple(titles),), lambda: _applied_numbers(replies, titles))
    # Left out of a thank-you and said applied elsewhere, by its sender or another maintainer (a series split between
    # trees), before or after: applied. A thank-you's silence says only that its sender did not apply it.
    # Said applied below the patch itself ("Applied, thanks." below 2/3) counts as by number.
    below_patch = {n for (_, at2), rs in said.items() if rs and (n := (numbers or {}).get(at2, 0))}
    if dropped and _unthanked(drop, titles) and (dropped <= {n for listed in named.values() for r, applied in listed
                                                     if r is not drop for n in applied} | below_patch
                                         or _had_applied(drop, replies)):
        return True
    return bool(dropped) and any(r is not drop and dropped <= applied and later_than(r, drop, replies)
                                 for r, applied in named.get(who, ()))


def _had_applied(drop: Reply, replies: dict[str, Reply]) -> bool:
    """Whether the sender of a thank-you said before it that they applied the series' patches or dropped some by
    number ("Applied, thanks.", "Dropped 2/3."; each says the rest were in their tree): then what the thank-you
    leaves out was applied before, and it thanks only for what is new ("Dropped 2/3." then a thank-you for 2/3
    alone held 1/3 and 3/3 back). A request or a refusal by number ("Please don't apply 3/3.", "I won't take 3/3.")
    says nothing of the rest: a thank-you for 1/3 alone after it held nothing back, and 2/3 passed."""
    who = drop.mail.own_address
    return bool(who) and any(
        r is not drop and r.mail.own_address == who and not later_than(r, drop, replies)
        and (applied_sentence(r.own_text) is not None
             or ((said := numbered_drop(r.own_text)) is not None and _WENT().search(said[1]) is not None))
        for r in replies.values())


_WENT = lazy(r"\b(?:dropped|dropping|unqueued|unqueuing|de-?queued|de-?queuing|reverted|reverting)\b", re.I)


def _unthanked(drop: Reply, titles: Sequence[str] = ()) -> bool:
    """Whether the patches ``drop`` holds back are those its b4 thank-you leaves out (harness.thanksummary), or those
    its words leave out of what they say was applied by number (harness.appliedsome), not ones its words name."""
    held = left_unthanked(drop.own_text, titles)
    if held is None:  # "Applied patches 1 and 3, thanks.": the rest unnamed, as a thank-you leaves them out
        return numbered_request(drop.own_text, titles) is None and applied_listed(drop.own_text) is not None
    return numbered_request(drop.own_text, titles) == held


# Patches applied by number: "Applied 2/3 again, thanks.", "Applied 1-3.", "Queued patches 1 and 2.", and in the other
# verbs of applying (harness.appliedsome's): "Pulled 2/3 after all.", "Took 2/3 back." (read as nothing: "Dropped 2/3."
# stood, NOT READY). "Pulled 2/3 from my tree." took it out: "from" ends no list here.
_APPLIED_NUMBERED = gated(rf"\b((?:re-?)?(?:applied|queued|picked\s+up|picked|merged|took|taken|pushed|"
                          rf"pulled(?:\s+in)?))\s+(?:patch(?:es)?\s+{NUMBERS}"
                          rf"|{SERIES_LIST}|{NUMBERS})(?![\w/'’])(?=\s*(?:[.!;,)]|$|\b(?:again|back|now|after\s+all|"
                          r"as\s+well|too|also|to|into|in|for|on|thanks)\b))", re.I)


def _applied_numbers(replies: dict[str, Reply], titles: Sequence[str] = ()) -> dict[str, list[tuple[Reply, set[int]]]]:
    """By sender, the replies saying patches are applied by number and those numbers, as applied_sentence reads the
    sentence with the list for "it" (no negation, condition or question), or as a b4 thank-you lists them with their
    commits; none that it also asks to drop or holds back ("Applied 1 and 3, 2 needs work.": 1 and 3)."""
    out: dict[str, list[tuple[Reply, set[int]]]] = {}
    for r in replies.values():
        text = r.own_text
        if not re.search(r"appl|queu|pick|merg|took|taken|push|pull", text, re.I):
            continue
        summary = thanks_summary(text, titles)  # a thank-you's list of commits: applied, whatever else it holds back
        applied: set[int] = set(summary.applied) if summary is not None else set()
        held = numbered_request(text, titles) if drop_sentence(text) is None else ((), "")
        for m in _APPLIED_NUMBERED().finditer(text) if held is None or held[0] else ():
            start = max(text.rfind(c, 0, m.start()) for c in ".!?\n") + 1
            end = min((i for c in ".!?\n" if (i := text.find(c, m.end())) >= 0), default=len(text))
            listed = next(g for g in m.groups()[1:] if g)
            if counts_other(listed, len(titles)):
                continue  # "Applied 3/5 as well." below a 3-patch series: another's 3/5, not its 3/3
            # Read as "applied it" for what stands around it: negation, condition or question (applied_sentence).
            if applied_sentence(f"{text[start:m.start()]}applied it{text[m.end():end + 1]}") is not None:
                applied |= set(listed_numbers(listed))
        applied -= set(held[0] if held is not None else ())
        if applied:
            out.setdefault(r.mail.author_email.lower(), []).append((r, applied))
    return out


def _applied_words(replies: dict[str, Reply], below: dict[str, str],
                   titles: Sequence[str] = ()) -> dict[tuple[str, str], list[Reply]]:
    """The replies saying the patch is applied (no request to drop of their own), by sender and the message they are
    below: read once per thread, not once per drop asked about them."""
    out: dict[tuple[str, str], list[Reply]] = {}
    for m, r in replies.items():
        # A b4 thank-you applies what it lists, by number (_applied_numbers), not every patch below the message.
        if applied_sentence(r.own_text) is not None and drop_sentence(r.own_text) is None \
                and thanks_summary(r.own_text, titles) is None:
            out.setdefault((r.mail.author_email.lower(), below.get(m, "")), []).append(r)
    return out
