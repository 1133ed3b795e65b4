"""What one run's outcome fails of a behaviour rule's expectation (calls, return, log, events, retries, preemption)."""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.changelogcheck import plain_words
from harness.explain import describe
from harness.rebudget import search_within, stuck_reason
from harness.rules import Expect
from models.leafabi import VERSION_MASK, leaf_shown
from models.outcome import Outcome, OutcomeStatus

# A prefix no pattern is written for: the stand-in for a pr_fmt that is not known.
_OTHER_PREFIX = "<pr_fmt?>: "
PREEMPT_OFF = "every SEAMCALL issued with preemption disabled"
NO_RETRY = "no SEAMCALL of the leaf issued again after it failed"
_LEAF_ID = ~VERSION_MASK & ((1 << 64) - 1)  # models.leafabi.leaf_id's mask, for the loops over a run's calls


def _readings(o: Outcome, assumed: str | None) -> list[list[str]]:
    """The log's lines as printed; when the unit's pr_fmt is an assumption (harness.prfmt.assumed_pr_fmt,
    ``assumed`` its prefix), also as they would be with no prefix and with another one."""
    texts = [ln.text for ln in o.log]
    if assumed is None:
        return [texts]

    def other(prefix: str) -> list[str]:
        if not assumed:  # every line might have had a prefix: printk()'s too, which is safe (more undecided)
            return [prefix + t for t in texts]
        return [prefix + t[len(assumed):] if t.startswith(assumed) else t for t in texts]
    return [texts, other(""), other(_OTHER_PREFIX)]


def _at_line_start(pattern: str) -> bool:
    """Whether a pattern is anchored at the start of the line (``^``, ``\\A``) anywhere outside a class."""
    bare = re.sub(r"\\.|\[(?:\\.|[^\]])*\]", "", pattern.replace("\\A", "^"))
    return "^" in bare


def log_tests(expect: Expect, place: Callable[[str], str] | None = None) -> list[tuple[bool, re.Pattern[str], str]]:
    """Each log test of an expectation: whether some line must match, the pattern, and what it asks in words a reader
    knows (as a changelog rule's evidence says it): the words of a plain phrase (``a log line saying 'failed'``),
    else the rule's key, which of its patterns, and where it is written (``place``: ``rules.toml:12``); the pattern
    itself goes to the gate's JSON (evidence[].pattern)."""
    tests = []
    for key, pats, want in (("log_match", expect.log_match, True), ("log_not_match", expect.log_not_match, False)):
        line = "a log line" if want else "no log line"
        for i, pat in enumerate(pats):
            words = plain_words(pat)
            which = f"the rule's {key}" if len(pats) == 1 else f"pattern {i + 1} of the rule's {key}"
            said = f"{line} saying '{words}'{' (any case)' if pat.flags & re.IGNORECASE else ''}" if words else \
                f"{line} matching {which}{f' ({place(key)})' if place else ''}"
            tests.append((want, pat, said))
    return tests


def _log_tests(o: Outcome, expect: Expect, assumed: str | None, place: Callable[[str], str] | None
               ) -> tuple[list[tuple[bool, str]], list[str]]:
    """The log pattern tests as (passed, what), and the ones whose answer depends on an assumed pr_fmt."""
    readings = _readings(o, assumed)
    tests: list[tuple[bool, str]] = []
    undecided: list[str] = []
    for want, pat, what in log_tests(expect, place):
        answers = [search_within(pat, texts) for texts in readings]
        if None in answers:  # re backtracked past its budget on a printed line: never a pass
            undecided.append(stuck_reason(what))
            continue
        found = set(answers)
        if assumed is not None and _at_line_start(pat.pattern):
            found = {True, False}  # a pattern tied to the line's start reads the unknown prefix itself
        if len(found) > 1:
            undecided.append(what)
            continue
        ok = found.pop() is want and (want or not o.unrecorded_log)
        tests.append((ok, what))
    return tests, undecided


def issued_leaves(o: Outcome, leaf: int) -> frozenset[int]:
    """The leaves (models.leafabi.leaf_id: the number and bit 63, the version aside) of a run's SEAMCALLs that stand
    for its scenario's leaf: that leaf when the run issued it, in any version (the script's answers are its, and a
    call with a version bit set, ``fn | BIT_ULL(16)``, is that leaf again); else, for an entry point that issues a
    leaf of its own (a wrapper with a fixed leaf, ``int f(void)``), those of the same component (bit 63: P-SEAMLDR
    or TDX module, as models.machine tells them apart), which took the script's answers meant for that leaf. Empty
    when the run issued none of either."""
    mine = leaf & _LEAF_ID  # leaf_id(), inline: every run of a rule asks it, most issuing the very leaf
    if any(c.leaf == leaf for c in o.calls) or any(c.leaf & _LEAF_ID == mine for c in o.calls):
        return frozenset({mine})
    return frozenset(c.leaf & _LEAF_ID for c in o.calls if (c.leaf ^ leaf) >> 63 == 0)


def _retried(o: Outcome, leaf: int | None) -> tuple[int, int] | None:
    """A SEAMCALL of the leaf (the scenario's, or what stands for it: issued_leaves; any leaf when None) that
    failed and is followed, at once or after other calls, by another of the same leaf, in whatever version (the
    ABI's leaf is its number: models.leafabi): a retry, however the loop is written (through another function,
    with a different leaf in between). The indexes of the failed call and of the one that issued it again; None
    when there is none. A path that calls a leaf once is not a retry, nor is a call of another leaf number."""
    if len(o.calls) < 2:  # most runs: nothing issued again
        return None
    leaves = None if leaf is None else issued_leaves(o, leaf)
    failed: dict[int, int] = {}  # leaf -> the last call of it that failed
    for i, c in enumerate(o.calls):
        key = c.leaf & _LEAF_ID
        if key in failed and (leaves is None or key in leaves):
            return failed[key], i
        if c.returned:
            failed[key] = i
    return None


def _retry_said(o: Outcome, at: tuple[int, int], leaf: int | None, name: str) -> str:
    """The call that issued a failed leaf again and the one that failed, for a no_retry failure's evidence."""
    (a, b), named = at, o.calls[at[0]].leaf if leaf is None else leaf
    first, again = o.calls[a], o.calls[b]
    return f"{describe(o)}; SEAMCALL {b + 1} ({again.function}() at {again.where}) issued " \
        f"{leaf_shown(again.leaf, named, name)} again after SEAMCALL {a + 1} " \
        f"({leaf_shown(first.leaf, named, name)}) returned {first.returned:#x}"


def expectation_failures(o: Outcome, expect: Expect, assumed: str | None = None, leaf: int | None = None,
                         place: Callable[[str], str] | None = None, leaf_name: str = ""
                         ) -> tuple[list[tuple[str, str]], list[str]]:
    """What the outcome fails of the expectation, and the log tests an assumed pr_fmt leaves undecided (a log
    test said as log_tests says it, ``place`` naming where a rule's key is written; ``leaf_name`` the scenario's
    name of ``leaf``, which a retry's evidence names the calls by). A
    run the time budget cut short fails every expectation (its behaviour is unknown); past a record cap,
    what cannot be seen counts against the rule. So does a run the C itself stopped (undefined behaviour, a
    runaway loop, a failed build check) unless the rule expects that error: what the code does past that point
    never ran, so a "no log line", "no event", "at most N calls" seen before it says nothing of the rest."""
    if not o.ran or (o.status is OutcomeStatus.ERROR and expect.status is not OutcomeStatus.ERROR):
        return [("a run that completes", describe(o))], []
    n = o.total_calls
    tests: list[tuple[bool, str]] = []
    if expect.calls is not None:
        tests.append((n == expect.calls, _seamcalls(expect.calls)))
    if expect.calls_at_most is not None:
        tests.append((n <= expect.calls_at_most, f"at most {_seamcalls(expect.calls_at_most)}"))
    if expect.calls_at_least is not None:
        tests.append((n >= expect.calls_at_least, f"at least {_seamcalls(expect.calls_at_least)}"))
    if expect.ret is not None:
        tests.append((o.ret == expect.ret, f"returns {expect.ret}"))
    if expect.errno is not None:
        tests.append(((o.errno or "none") == expect.errno, f"errno {expect.errno}"))
    if expect.status is not None:
        tests.append((o.status is expect.status, f"status {expect.status}"))
    logged, undecided = _log_tests(o, expect, assumed, place)
    tests.extend(logged)
    if expect.no_events:
        banned = {str(k) for k in expect.no_events}
        tests.append((not {e.kind for e in o.events} & banned and not o.unrecorded_events,
                      f"no {', '.join(expect.no_events)} events"))
    said: dict[str, str] = {}  # what a failed test saw, where describe(o) does not show it
    if expect.no_retry:  # past the record cap what follows is unseen: it counts against the rule
        again = _retried(o, leaf)
        tests.append((again is None and not o.unrecorded_calls, NO_RETRY))
        # Named where the two calls' leaves differ in their version: describe(o) shows no leaf, and a reader takes
        # two values of RAX for two leaves.
        if again is not None and o.calls[again[0]].leaf != o.calls[again[1]].leaf:
            said[NO_RETRY] = _retry_said(o, again, leaf, leaf_name)
        elif again is not None:  # the answer retried: a script may answer a leaf with another component's code
            said[NO_RETRY] = f"{describe(o)}; issued again after SEAMCALL {again[0] + 1} returned " \
                f"{o.calls[again[0]].returned:#x}"
    if expect.preempt_disabled:  # a SEAMCALL made where the task may move to another CPU (its state is per-CPU)
        bare = next((c for c in o.calls if c.preempt_count <= 0), None)
        tests.append((bare is None and not o.unrecorded_calls, PREEMPT_OFF))
        if bare is not None:
            said[PREEMPT_OFF] = f"{describe(o)}; {bare.function}() at {bare.where}, preempt count {bare.preempt_count}"
    return [(text, said.get(text, describe(o))) for ok, text in tests if not ok], undecided


def _seamcalls(n: int) -> str:
    return f"{n} SEAMCALL{'' if n == 1 else 's'}"
