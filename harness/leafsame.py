"""Whether what a SEAMCALL helper does depends on the leaf: the same answers, the same SEAMCALLs, whatever the leaf.

"With one error-code space, sc_retry() needs no choice of retry code by leaf" is a point about behaviour, not
about names: a retry code picked by ``fn >> 63``, a mask of the caller's own, or a helper of any name breaks it
as much as ``is_seamldr_call()`` does. Scenarios that differ only in their leaf (same entry point, response
script and unit) must issue as many SEAMCALLs; a leaf-dependent retry code makes one leaf retry an answer that
another does not. With as many, they must also end, return, print and leave side effects alike, the leaf's own
number aside (a leaf that picks the message or a per-CPU value chooses as much).

Shapes: ``Group`` is (entry, script, unit); evidence names the scenario of the leaf that differs from the
group's first leaf (matrix order).

Equal counts show nothing of code that reads the leaf and never ran: each place where the leaf steers control
in what the selected entry points reach (models.leafflow: a test reading it, a switch on it, a call through a
function it picks) must have run, a test coming out both true and false in some runs of the variant, else no
pass (unshown_leaf_sites; a consistency check needs each print of the leaf run the same way).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping
from functools import lru_cache

from harness.linecover import HINT
from harness.matrix import Scenario
from harness.memo import MAX_ENTRIES, Buckets, among
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence
from models.facts import DEAD, OTHER_BITS, CodeFacts
from models.outcome import Outcome
from reports.safe import counted

# models.leafflow's site kinds, and what a site of each kind must have done in the runs
_DECISION, _CASE, _CALL, _STORE, _PRINT, _WARNS = "decision", "case", "call", "store", "print", "warn"
_WHAT = {_DECISION: "a test of the leaf", _CASE: "a case of a switch on the leaf",
         _CALL: "a call through a function the leaf picks", _STORE: "a store of a value read from the leaf",
         _PRINT: "a line printing the leaf",
         _WARNS: "a WARN() printing the leaf"}
TESTS = frozenset({_DECISION, _CASE, _CALL, _STORE})  # where the leaf steers control: what leaf rules need run
PRINTS = frozenset({_PRINT, _WARNS})  # where the leaf is printed: what a consistency check needs run


def _calls(n: int) -> str:
    return f"{n} SEAMCALL{'' if n == 1 else 's'}"


# A number as printk prints it: an optional sign, 0x, digits (lib/vsprintf.c number()); bounded by non-word characters.
_NUMBER = re.compile(r"(?<![\w.])(-?)(0[xX])?([0-9a-fA-F]+)(?![\w.])")


def _leaf_form(m: re.Match[str], leaf: int) -> str | None:
    """How a number token shows ``leaf`` (``hex 0x``, ``decimal``: base, prefix, case), or None when it is another
    number. A sign is the leaf's value, not its form (``%lld`` prints 33 as ``%llu`` does)."""
    sign, prefix, digits = m.groups()
    forms = []
    if not sign and int(digits, 16) == leaf:
        forms.append(f"hex {prefix}" if prefix else "hex")  # the digits' case: _Token, where digits show it
    if not prefix and digits.isdigit() and (-1 if sign else 1) * int(digits) in (leaf, leaf - (1 << 64)):
        forms.append("decimal")
    if not forms and not sign and not prefix and leaf > 7 and _OCTAL.fullmatch(digits) and int(digits, 8) == leaf:
        # %llo (number(), base 8): '41' for 33; '041' with '#', whose 0 is read as that prefix, not as padding
        forms.append("octal 0" if len(digits) == len(f"{leaf:o}") + 1 else "octal")
    return None if not forms else forms[0] if len(forms) == 1 else "hex or decimal"


_OCTAL = re.compile(r"[0-7]+")


# Of a number printed as the leaf: its field width where zero padding shows it (None: unpadded), its length, and
# the case of its hex digits where a letter shows it (None: no letter, so either).
_Token = tuple[int | None, int, str | None]


@lru_cache(maxsize=16384)  # a log line recurs in outcome after outcome, variant after variant
def _spelt(text: str, leaf: int) -> tuple[str, tuple[_Token, ...]]:
    """A line with each number that is the leaf replaced by how it shows it, and each such number's _Token: two
    leaves printed by one conversion read alike."""
    tokens: list[_Token] = []

    def put(m: re.Match[str]) -> str:
        form = _leaf_form(m, leaf)
        if form is None:
            return m.group(0)
        digits, size = m.group(3), len(m.group(0))
        digits = digits[1:] if form == "octal 0" else digits  # '#' wrote that 0: no padding
        case = None if not form.startswith("hex") or digits.isdigit() else "upper" if digits.isupper() else "lower"
        tokens.append((size if len(digits) > 1 and digits.startswith("0") else None, size, case))
        return f"<leaf {form}>"
    return _NUMBER.sub(put, text), tuple(tokens)


def _widths_agree(a: tuple[_Token, ...], b: tuple[_Token, ...]) -> bool:
    """Whether one conversion may have printed both: two padded widths are equal, an unpadded number says only
    that the width is at most its length (``%#016llx`` prints a P-SEAMLDR leaf whole, 18 characters); hex digits
    in one case (``%llX`` prints 33 as ``21``, 42 as ``2A``: no letter says nothing of the case)."""
    for (wa, la, ca), (wb, lb, cb) in zip(a, b, strict=True):
        if (wa is not None and wb is not None and wa != wb) or (wa is not None and wb is None and lb < wa) \
                or (wb is not None and wa is None and la < wb) or (ca is not None and cb is not None and ca != cb):
            return False
    return True


def _same(what: str, a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    if what != "log" or len(a) != len(b) or a == b:  # equal records: equal widths too
        return a == b
    return all(x[:2] == y[:2] and _widths_agree(x[2], y[2])  # type: ignore[index]
               for x, y in zip(a, b, strict=True))


# The aspects of each outcome and leaf (an entry per run: 1,692 in the corpus' eval), by value: an Outcome keeps its
# hash (models.outcome) and equal ones that ran are one object (run_matrix), met with `is` in the key's compare; an
# id() would raise an audit event, which the run recording's Python hook reads (~3,300 instructions).
_PER_RUN: dict[tuple[Outcome, int], dict[str, tuple[object, ...]]] = {}
# The differences of each call's and each leaf group's runs, by identity (harness.memo.among): by_identity read the id()
# of each of their hundreds of scenarios and outcomes (17,640 id() calls, 58 M instructions of a filled-cache eval of
# the corpus), the scenarios' ids and an `is` scan of the few runs met with them find the same entries.
_SAME: Buckets = {}


def _aspects(o: Outcome, leaf: int) -> dict[str, tuple[object, ...]]:
    """_run_aspects, once per outcome and leaf: equal outcomes are one object, met again in every variant's
    groups (1,562 distinct of 4,284 asked for in the corpus' eval). Kept in a table of this module's own (_PER_RUN,
    bounded as harness.memo's)."""
    found = _PER_RUN.get(key := (o, leaf))
    if found is None:
        if len(_PER_RUN) >= MAX_ENTRIES:
            _PER_RUN.clear()
        found = _PER_RUN[key] = _run_aspects(o, leaf)
    return found


def _run_aspects(o: Outcome, leaf: int) -> dict[str, tuple[object, ...]]:
    """What a run did beyond its SEAMCALL count, with the leaf's own number taken out (a run of leaf 33 prints 33
    where one of leaf 35 prints 35): its end, return value, errno, log lines, and side effects (events, the state it
    left, and how each SEAMCALL was made: preemption, IRQs, per-CPU values, where)."""
    def num(x: int) -> object:
        return "<leaf>" if x == leaf else x

    def text(x: str) -> str:
        return _spelt(x, leaf)[0]
    calls = tuple((c.function, c.returned, c.preempt_count, c.irqs_disabled, tuple((k, num(x)) for k, x in c.percpu),
                   c.where, tuple((k, num(x)) for k, x in c.args)) for c in o.calls)
    return {
        "end": (str(o.status), text(o.error or "")),
        "return value": (None if o.ret is None else num(o.ret), o.ret_type,
                         tuple((k, num(x)) for k, x in o.regs_out)),
        "errno": (o.errno,),
        "log": (*((ln.level, *_spelt(ln.text, leaf)) for ln in o.log), ("past the record cap", o.unrecorded_log, ()),
                ("last line left open", o.log_open, ())),
        "side effects": (*((e.kind, text(e.detail), e.where) for e in o.events), o.unrecorded_events,
                         *((k, text(x)) for k, x in o.state), *calls),
    }


def _first_apart(what: str, a: tuple[object, ...], b: tuple[object, ...]) -> str:
    """The first item two aspects differ in, said briefly (a log line, an event), or how many each has."""
    for x, y in zip(a, b, strict=False):
        if x != y:
            return f"{_said(what, x)} / {_said(what, y)}"
    return f"{len(a)} / {len(b)} {what} records"


def _said(what: str, item: object) -> str:
    if what == "log" and isinstance(item, tuple):
        return repr(item[1])
    return repr(item)


def leaf_differences(outs: list[tuple[Scenario, Outcome]]) -> tuple[list[Evidence], int]:
    """Evidence of each scenario that does otherwise than the same entry, script and unit with the group's first
    leaf, and how many groups had two leaves or more to compare. SEAMCALL counts first (a run's count includes
    the calls past the record cap, models.outcome.Outcome.total_calls); where every count is the same, what else
    the runs did, the leaf's own number aside (_aspects): a leaf that picks the message, the return value, a lock
    or a per-CPU write chooses as much as one that picks the retry code. A new list each call, worked out once per
    scenarios and outcomes (by identity): variants that run the same code, and the rules judging them, meet the very
    same ones."""
    evidence, compared = among(("leaf differences", len(outs)), tuple(itertools.chain.from_iterable(outs)),
                               functools.partial(_leaf_differences, outs), _SAME)
    return list(evidence), compared


def _leaf_differences(outs: list[tuple[Scenario, Outcome]]) -> tuple[tuple[Evidence, ...], int]:
    groups: dict[tuple[str, str, str], list[tuple[Scenario, Outcome]]] = {}
    for s, o in outs:
        groups.setdefault((s.entry.name, s.script.name, s.unit.name), []).append((s, o))
    evidence: list[Evidence] = []
    other: list[Evidence] = []
    compared = 0
    for members in groups.values():
        if len({s.leaf for s, _ in members}) < 2:
            continue
        compared += 1
        # Variants that run the same code meet the very same scenarios and outcomes: a group is compared once.
        counts, rest = among(("leaf group", *(s.id for s, _ in members)), tuple(x for m in members for x in m),
                             functools.partial(_group_differences, members), _SAME)
        evidence.extend(counts)
        other.extend(rest)
    return tuple(evidence or other), compared


def _group_differences(members: list[tuple[Scenario, Outcome]]) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    """Of one group (same entry, script and unit), the scenarios whose SEAMCALL count differs from the first's,
    and those whose count is the same but something else the run did differs (the leaf's own number aside)."""
    first, fo = members[0]
    want, seen = fo.total_calls, _aspects(fo, first.leaf)
    counts: list[Evidence] = []
    other: list[Evidence] = []
    for s, o in members[1:]:
        got = o.total_calls
        if got != want:
            counts.append(Evidence(f"as with {first.leaf_name}: {_calls(want)}",
                                   f"{_calls(got)} with {s.leaf_name} (the same answers)", s))
            continue
        mine = _aspects(o, s.leaf)
        apart = [what for what in seen if not _same(what, seen[what], mine[what])]
        if apart:
            what = apart[0]
            verb = "differ" if what.endswith("s") else "differs"
            other.append(Evidence(
                f"as with {first.leaf_name}: the same {', '.join(apart)} (the leaf's number aside)",
                f"{what} {verb} with {s.leaf_name} (the same answers, {_calls(got)}): "
                f"{_first_apart(what, seen[what], mine[what])}", s))
    return tuple(counts), tuple(other)


def _line_text(v: Variant, path: str, line: int) -> str | None:
    """The source line ``path:line`` of the variant, spacing collapsed (None: not in what is known)."""
    for src in variant_sources(v):
        if src.path == path:
            for start, piece in src.pieces:
                if start <= line < start + len(piece):
                    return " ".join(piece[line - start].split())
    return None


def _came(key: str, value: str, ran: frozenset[str], fixed: Mapping[str, str]) -> bool:
    """Whether a decision came out ``value`` in ``ran``; or cannot for the judged leaves while it ran (its one value
    showed all it decides for them), or cannot run for them at all (``fixed``: models.leafbits, as linecover)."""
    held = fixed.get(key)
    return f"{key}:{value}" in ran or held == DEAD or (held in ("T", "F") and held != value and f"{key}:{held}" in ran)


def _site_problem(kind: str, key: str, runs: list[frozenset[str]], warned: frozenset[str], apart: str,
                  fixed: Mapping[str, str], elsewhere: frozenset[str] = frozenset()) -> str | None:
    """What a leaf site lacks in ``runs`` (what each group of runs judged together executed; None: shown): a
    decision must come out true and false within one group, else it was never compared with itself; a site the
    judged leaves' bit 63 decides or keeps from running (``fixed``) has nothing else to show for them; a store of a
    value computed from other bits of the leaf, or a print whose format they pick (``fixed``'s OTHER_BITS, where
    given), shows only what the judged leaves make of it, however often it ran."""
    if kind == _STORE and fixed.get("=" + key) == OTHER_BITS:
        return "computes the value it stores from bits of the leaf other than bit 63, which leaves the matrix " \
               "lacks may set otherwise"
    if (kind == _PRINT and fixed.get("=" + key) == OTHER_BITS) or (kind == _WARNS and any(
            v == OTHER_BITS and k.startswith(f"={key}:") for k, v in fixed.items())):  # a WARN()'s key: path:line
        return "picks its format by bits of the leaf other than bit 63, which leaves the matrix lacks may set " \
               "otherwise"
    if kind == _DECISION:
        if any(_came(key, "T", r, fixed) and _came(key, "F", r, fixed) for r in runs):
            return None
        came = [value for value in ("T", "F") if any(_came(key, value, r, fixed) for r in runs)]
        if len(came) == 2:
            return f"came out true and false only in runs of different {apart}"
        return "never tested" if not came else f"always came out {'true' if came == ['T'] else 'false'}"
    if kind == _WARNS:
        return None if key in warned else "never fired"
    if fixed.get(key) == DEAD or any(key in r for r in runs):
        return None
    if key in elsewhere:  # it ran, but in runs whose lines were not judged: never shown, nor "never ran"
        return "ran only in runs whose lines the rule does not judge (another entry point's or leaf's, a wrapper's " \
               "issuing another leaf than it is given, one the C stopped)"
    return "never picked" if kind == _CASE else "never ran"


def run_groups(ctx: CheckContext, v: Variant, picked: list[tuple[Scenario, Outcome]], apart: bool = False
               ) -> dict[str, list[frozenset[str]]]:
    """Per entry point: what the runs of the ``picked`` scenarios that ran executed, one set per entry point, or
    with ``apart`` one per script and unit too (the groups leaf_differences compares). Only these runs count
    towards a leaf site: one a scenario the rule does not select, or another entry point, ran shows nothing
    of the code the rule judges (MatrixResult.run_coverage)."""
    sets: dict[tuple[str, ...], set[str]] = {}
    for s, o in picked:
        if o.ran:
            key: tuple[str, ...] = (s.entry.name, s.script.name, s.unit.name) if apart else (s.entry.name,)
            sets.setdefault(key, set()).update(ctx.result.run_coverage(v.name, ctx.result.matrix.position(s.id)))
    out: dict[str, list[frozenset[str]]] = {}
    for key, ran in sets.items():
        out.setdefault(key[0], []).append(frozenset(ran))
    return out


def site_place(kind: str, key: str) -> str:
    """``path:line`` of a site's key (a decision's ``?path:line:col~size``, a start's ``path:line:col``)."""
    return key if kind == _WARNS else key.lstrip("?").rpartition(":")[0]


def text_place(kind: str, key: str, facts: CodeFacts) -> str:
    """``path:line`` of a site's text in the file: site_place(), but the line the file holds a WARN() on where a
    ``#line`` above numbers it otherwise (its key is gcc's line, what its warning says: models.printsites)."""
    place = site_place(kind, key)
    if kind != _WARNS:
        return place
    return next((s[5] for found in (facts.print_sites or {}).values() for s in found
                 if len(s) > 5 and s[0] == _WARNS and s[1] == key), place)


def unshown_leaf_sites(v: Variant, facts: CodeFacts | str, runs: dict[str, list[frozenset[str]]],
                       kinds: frozenset[str] = TESTS, warned: dict[str, frozenset[str]] | None = None,
                       apart: str = "entry points", limit: int = 6,
                       fixed: Mapping[str, Mapping[str, str]] | None = None,
                       elsewhere: frozenset[str] = frozenset()) -> list[str]:
    """Each leaf site of ``kinds`` in what each entry point of ``runs`` reaches (models.leafflow.leaf_sites) that
    the entry's own runs (run_groups: per entry point, a set per group judged together) did not show: a test that
    did not come out both true and false within one group (``apart`` names what else tells groups apart), a case
    label never picked, a call through a leaf-chosen function or a print of the leaf never made, a WARN() given
    the leaf that never fired (``warned``: per entry, the ``path:line`` of each warning its runs saw); a last
    item says what would run them. ``fixed``: per entry, what the judged leaves' bit 63 fixes in its runs
    (linecover.bit63_fixed): a test it decides, or code it keeps out, for every leaf judged. Code whose facts
    could not be read, or an entry point they lack, is named as such (its sites are not known). ``elsewhere``:
    what any run of the variant executed (MatrixResult.coverage), so that a site only runs the rule does not read
    executed is said to have run there, not "never ran"."""
    if isinstance(facts, str):
        return [f"where the leaf is used in {v.name} is not known: its code could not be read ({facts})"]
    unknown: dict[str, None] = {}
    found: dict[tuple[str, str, str], dict[str, list[str]]] = {}  # (what, function, place) -> problem -> entries
    reached: dict[tuple[str, str, str], set[str]] = {}  # the entry points that reach each site
    for entry, ran in sorted(runs.items()):
        sites = facts.leaf_sites.get(entry)
        if sites is None:
            unknown[f"where {entry}() uses the leaf in {v.name} is not known (its code was not read)"] = None
            continue
        fired = (warned or {}).get(entry, frozenset())
        for function, kind, key in sites:
            if kind not in kinds:
                continue
            site = (_WHAT[kind], function, site_place(kind, key))
            reached.setdefault(site, set()).add(entry)
            problem = _site_problem(kind, key, ran, fired, apart, (fixed or {}).get(entry, {}), elsewhere)
            # Each entry point once: the decisions of one line (a condition and its operands) share its place.
            who = found.setdefault(site, {}).setdefault(problem, []) if problem is not None else None
            if who is not None and entry not in who:
                who.append(entry)
    places = list(unknown)
    for (what, function, place), problems in found.items():
        path, _, line = (text_place(_WARNS, place, facts) if what == _WHAT[_WARNS] else place).rpartition(":")
        text = _line_text(v, path, int(line)) if line.isdigit() else None
        # A condition and its operands on one line: each column's answer once; the entry points named where
        # another one reaching the site showed it or lacks it otherwise.
        said = " / ".join(p if len(who) == len(reached[(what, function, place)]) else
                          f"{p} under {', '.join(f'{e}()' for e in who)}" for p, who in problems.items())
        places.append(f"{what} in {function}() at {place}{f' ({text!r})' if text else ''} {said} in {v.name}")
    if len(places) > limit:
        places = [*places[:limit], counted(len(places) - limit, "more place")]
    return [*places, HINT] if places else []
