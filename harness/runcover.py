"""A variant's runs as coverage: which statements ran and which ways each decision came out (harness.linecover)."""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterable, Mapping

from harness.changedlines import normalised
from harness.matrix import Scenario
from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.variants import Variant
from models.facts import DEAD, CodeFacts, fixed_for
from models.outcome import Coverage
from models.record import record
from models.runcontext import feature_name
from models.slicer import Definition
from models.wordfind import BOUNDARY, has_name

OTHER_WAY_UNRUN = ", so what it decides the other way never ran"  # the end of Runs.partly's sentence on a test
_READS_FOLLOWED = 4  # stores followed to the lines that read them (Runs.shown), as far as linecover follows names

# A line that stores a value in a variable: "int retry = N;", "u8 *p = ...", "ret = f();", "left += 2;" (a
# member, an array element or a dereference is not followed: "args->rcx = x" names no variable of its own).
_WORD = r"(?:(?!(?:return|else|case|goto|do|sizeof)\b)[A-Za-z_]\w*\s+|\*\s*)"  # a type's word, not a statement's
_ASSIGNED = re.compile(rf"^{_WORD}*([A-Za-z_]\w*)\s*(?P<op>[-+*/%&|^]|<<|>>)?=(?!=)")
_DECLARED = rf"^{_WORD}+{{}}\s*(?:\[[^\]]*\]\s*)?;$"  # "u64 ret;": names the variable, reads nothing
# The same for any name: the one its match gives is the last word outside brackets (after it, blanks, '[...]', ';')
_DECLARES = re.compile(_DECLARED.format(r"([A-Za-z_]\w*)"))


def _reads(d: Definition, name: str, stored: int) -> list[int]:
    """Lines of function ``d``'s body, other than ``stored``, that read variable ``name``: not a bare
    declaration of it, nor a line that only stores another value in it. ``name`` is a word as _ASSIGNED gives it
    ([A-Za-z_]\\w*): found by models.wordfind and _DECLARES, no pattern compiled per name."""
    lines = [normalised(t) for t in d.text.split("\n")]
    body = next((i + 1 for i, t in enumerate(lines) if "{" in t), len(lines))  # the head names parameters
    found = []
    for i, text in enumerate(lines[body:], start=body):
        if d.line + i == stored or not has_name(text, name, BOUNDARY, BOUNDARY) or _declares(text, name):
            continue
        m = _ASSIGNED.match(text)
        if m is not None and m.group(1) == name and not m.group("op") and \
                not has_name(text[m.end():], name, BOUNDARY, BOUNDARY):
            continue  # "retry = 3;": a new value, not a read of the old
        found.append(d.line + i)
    return found


def _declares(text: str, name: str) -> bool:
    """Whether ``re.match(_DECLARED.format(re.escape(name)), text)`` finds one, ``name`` a word: the line declares it
    alone ("u64 ret;")."""
    m = _DECLARES.match(text)
    return m is not None and m.group(1) == name


class Runs:
    """A variant's coverage, by file: every statement start and whether it ran, and every decision (a
    condition of an if, a loop, a ?:, each operand of && and ||) and the values it came out with."""

    def __init__(self, cover: Coverage, fixed: Mapping[str, str] | None = None) -> None:
        self.ran = cover.ran
        # Keys the compared leaves' component fixes (models.leafbits): a decision that comes out the same for every
        # such leaf has nothing else to show; a statement or decision none of them can reach cannot change them.
        self.fixed: Mapping[str, str] = fixed or {}
        self.starts: dict[str, list[tuple[int, int]]] = {}
        self.decisions: dict[str, set[tuple[int, str]]] = {}
        for where in cover.starts:
            if where.startswith("?"):  # "?path:line:col~size:D": a decision site (models.statements.decision_tag)
                site = where[1:].rpartition(":")[0]
                if "~" in site.rpartition(":")[2]:  # the untagged "?path:line:col" may stand for two decisions
                    rest, _, tagged = site.rpartition(":")
                    file, _, number = rest.rpartition(":")
                    self.decisions.setdefault(file, set()).add((int(number), tagged))
            else:
                path, line, col = _split(where)
                self.starts.setdefault(path, []).append((line, col))
        for found in self.starts.values():
            found.sort()

    def line_ran(self, d: Definition, line: int) -> bool:
        """Whether line ``line`` of function ``d`` ran: each statement starting on it; else, a line with a
        decision (a loop's ``} while (...)``), that it was tested; else the last statement starting above it
        in ``d`` (no statement of ``d`` compiled: the function never ran)."""
        first, last = d.line, d.line + d.text.count("\n")
        found = self.starts.get(d.path, [])  # sorted: the function's by bisection, not the file's 5,000 read per line
        inside = found[bisect.bisect_left(found, (first,)):bisect.bisect_right(found, (last, sys.maxsize))]
        on = [s for s in inside if s[0] == line]
        if on:
            return all(self._ran(d.path, s) for s in on)
        tests = self.decisions_on(d.path, line)
        if tests:
            return any(self._came(d.path, t, "T") or self._came(d.path, t, "F") for t in tests)
        above = inside[:bisect.bisect_left(inside, (line, 0))]
        if above:
            top = above[-1][0]
            return all(self._ran(d.path, s) for s in above if s[0] == top)
        return any(self._ran(d.path, s) for s in inside)  # the head of the function: it ran if anything did

    def exercised(self, d: Definition, line: int) -> bool:
        """line_ran, and every decision on the line came out both true and false on some runs: a condition
        (or a part of one) that always came out the same has not shown what it decides (a changed constant
        in ``if (err == FW_ERR_BUSY)`` compared false every time; a ``?:`` operand never selected)."""
        if not self.line_ran(d, line):
            return False
        return all(self._came(d.path, t, "T") and self._came(d.path, t, "F") for t in self.decisions_on(d.path, line))

    def shown(self, d: Definition, line: int, depth: int = _READS_FOLLOWED) -> bool:
        """exercised, and for a line that stores a value in a variable (``int retry = MAX_TRIES;``), some line
        of ``d`` that reads that variable shown in turn: a value is shown by what it decides, so a changed
        bound whose loop never ran out is not (its ``--retry`` never came out false); a variable ``d`` never
        reads again is shown by its own line (a global's value is in the outcome)."""
        if not self.exercised(d, line):
            return False
        lines = d.text.split("\n")
        stored = _ASSIGNED.match(normalised(lines[line - d.line])) if d.line <= line < d.line + len(lines) else None
        if stored is None or depth == 0:
            return True
        reads = _reads(d, stored.group(1), line)
        return not reads or any(self.shown(d, n, depth - 1) for n in reads)

    def partly(self, d: Definition, line: int, depth: int = _READS_FOLLOWED) -> str:
        """How a line of ``d`` that ran has not shown what it does (see shown), '' when it never ran: a test on it
        that always came out the same, or a value it stores that no line shown reads, naming the first line that
        reads it and how that one fell short (``retry, read at h.h:26, where a test on it always came out true``:
        a bound no run used up), so that the reader sees which test the matrix never drove the other way."""
        if not self.line_ran(d, line):
            return ""
        ways = {"was never tested" if not came else f"always came out {'true' if came == ('T',) else 'false'}"
                for t in self.decisions_on(d.path, line)
                if len(came := self.ways(d.path, t)) < 2}
        if ways:
            return f"a test on it {' / '.join(sorted(ways))}{OTHER_WAY_UNRUN}"
        return "no line that reads the value it stores ran both ways" + self._read_short(d, line, depth)

    def _read_short(self, d: Definition, line: int, depth: int) -> str:
        """' (NAME, read at FILE:LINE, where HOW)' for the first line of ``d`` reading what ``line`` stores that has
        not shown it (partly of that line, or 'which never ran'); '' when there is none to name."""
        lines = d.text.split("\n")
        stored = _ASSIGNED.match(normalised(lines[line - d.line])) if d.line <= line < d.line + len(lines) else None
        if stored is None or depth == 0:
            return ""
        for n in _reads(d, stored.group(1), line):
            if not self.shown(d, n, depth - 1):
                how = self.partly(d, n, depth - 1)
                how = how.replace(OTHER_WAY_UNRUN, "") if how else "which never ran"
                where = f"{d.path.rpartition('/')[2]}:{n}"
                return f" ({stored.group(1)}, read at {where}, {how if not how.startswith('a ') else 'where ' + how})"
        return ""

    def whole_both_ways(self, path: str, line: int) -> bool:
        """Whether the line's whole condition (its decision of the most AST nodes) came out both ways."""
        whole = max(self.decisions_on(path, line), key=lambda t: int(t[1].rpartition("~")[2] or 0), default=None)
        return whole is not None and self._came(path, whole, "T") and self._came(path, whole, "F")

    def ways(self, path: str, site: tuple[int, str]) -> tuple[str, ...]:
        """The values ("T", "F") a decision came out with (_came)."""
        return tuple(value for value in ("T", "F") if self._came(path, site, value))

    def decisions_on(self, path: str, line: int) -> list[tuple[int, str]]:
        """The decisions on a line: (line, its tagged site)."""
        return [t for t in self.decisions.get(path, ()) if t[0] == line]

    def _came(self, path: str, site: tuple[int, str], value: str) -> bool:
        """Whether the decision came out ``value``; or it cannot for the compared leaves while it ran (its one
        value then showed all it decides for them), or it cannot run for them at all."""
        key = f"?{path}:{site[0]}:{site[1]}"
        if f"{key}:{value}" in self.ran:
            return True
        fixed = self.fixed.get(key)
        return fixed == DEAD or (fixed in ("T", "F") and fixed != value and f"{key}:{fixed}" in self.ran)

    def _ran(self, path: str, start: tuple[int, int]) -> bool:
        key = f"{path}:{start[0]}:{start[1]}"
        return key in self.ran or self.fixed.get(key) == DEAD


_RUNS: dict[int, tuple[MatrixResult, dict[str, Runs]]] = {}


def runs_of(result: MatrixResult, variant: str) -> Runs:
    """A variant's Runs, made once per matrix result (every comparison and rule that involves it asks)."""
    kept = _RUNS.get(id(result))
    if kept is None or kept[0] is not result:  # the result itself is kept, so its id is not reused meanwhile
        _RUNS.clear()
        kept = _RUNS[id(result)] = (result, {})
    runs = kept[1].get(variant)
    if runs is None:
        runs = kept[1][variant] = Runs(result.coverage(variant))
    return runs


@record
class Compared:
    """The runs a claim of sameness rests on: per variant, the matrix positions of the scenarios it compared;
    the value of bit 63 every compared leaf has (None: they differ in it), and the variants' code facts. A
    changed line counts as run only in these runs, or where that bit alone decides it (models.leafbits); with
    leaves of both components, where either value decides it alike."""

    positions: Mapping[str, tuple[int, ...]]
    bit63: int | None
    facts: Callable[[Variant], CodeFacts | str]


def compared_runs(result: MatrixResult, v: Variant, compared: Compared) -> Runs:
    """A variant's Runs of the compared scenarios' runs alone (MatrixResult.run_coverage), with what the compared
    leaves' bit 63 fixes in its code."""
    ran = runs_among(result, v.name, compared.positions.get(v.name, ()))
    facts = compared.facts(v)
    fixed: Mapping[str, str] = {}
    if isinstance(facts, CodeFacts):
        # What the compared entry points' runs alone fix: a helper another entry point feeds the other
        # component's constant leaf is still decided for these (models.leafbits.fixed_for).
        entries = {result.matrix.scenarios[p].entry.name for p in compared.positions.get(v.name, ())}
        fixed = bit63_fixed(facts, entries, compared.bit63)
    return Runs(Coverage(ran, result.coverage(v.name).starts), fixed)


def runs_among(result: MatrixResult, variant: str, positions: Iterable[int]) -> frozenset[str]:
    """What the runs of the scenarios at matrix ``positions`` executed for a variant, joined
    (MatrixResult.run_coverage)."""
    # Runs of a code group share their sets (one object per distinct set): each one is joined once. Kept by the
    # sets themselves, not by id(): a frozenset's hash is worked out once and kept in it, a dict finds the very same
    # object before comparing, and id() raises an audit event, which the run recording's hook reads in Python
    # (harness.auditlog: some 3,000 instructions a call, 11,448 calls here in the corpus' eval).
    return frozenset().union(*dict.fromkeys(result.run_coverage(variant, p) for p in positions))


def started_alike(result: MatrixResult, chosen: Iterable[Scenario]) -> tuple[int, ...]:
    """The matrix positions of the scenarios whose runs start as one of ``chosen`` does, their answers and leaf aside:
    the same entry point in the same unit, on the same CPU with the same input registers (a script's ``cpu`` and
    ``inputs``), called in the same context (``context``), with the same static keys set (``static_keys_on``,
    ``static_keys_off``) and no CPU feature bit given the other way (``cpu_has``, ``cpu_lacks``: a run whose script
    does not give a bit never read it, models.runcontext.cpu_feature refuses the read, so it holds for either value).
    A test that came out its other way only in a run starting otherwise (``err == NO_ENTROPY && args->rcx``, true
    under an args-in script alone, or under an entry point that sets RCX itself; ``&& in_interrupt()`` under a hardirq
    script alone; ``&& boot_cpu_has(X86_FEATURE_RDRAND)`` under a script whose CPU has it, where the chosen scripts'
    CPU lacks it) has not shown what it does on the answers of ``chosen``, whose callers may start as that run did."""
    by_start = by_identity("starts", (result.matrix,), (), lambda: _positions_by_start(result.matrix.scenarios))
    found: set[int] = set()
    for start, bits in {_start(s) for s in chosen}:
        found.update(p for p, theirs in by_start.get(start, ()) if _bits_agree(bits, theirs))
    return tuple(sorted(found))


_Start = tuple[str, str, int, tuple[tuple[str, int], ...], str, frozenset[tuple[str, bool]]]
_Bits = frozenset[tuple[str, bool]]


def _start(s: Scenario) -> tuple[_Start, _Bits]:
    """How a scenario's runs start (started_alike): entry point, unit, CPU, input registers, the context and the static
    keys the script turns on or off (a test on a key that came out true only under a script turning it on has not
    shown what it does with the key as defined); then the CPU feature bits it gives (models.runcontext)."""
    keys = frozenset(f for f in s.script.features if not feature_name(f[0]))
    bits = frozenset(f for f in s.script.features if feature_name(f[0]))
    return (s.entry.name, s.unit.name, s.script.cpu, s.script.inputs, s.script.context, keys), bits


def _bits_agree(mine: _Bits, theirs: _Bits) -> bool:
    """Whether no CPU feature bit is given one way in ``mine`` and the other in ``theirs``."""
    return not any((name, not has) in theirs for name, has in mine)


def _positions_by_start(scenarios: Iterable[Scenario]) -> dict[_Start, list[tuple[int, _Bits]]]:
    """The matrix positions of ``scenarios``, with the feature bits their scripts give, by how their runs start
    otherwise (_start)."""
    out: dict[_Start, list[tuple[int, _Bits]]] = {}
    for p, s in enumerate(scenarios):
        start, bits = _start(s)
        out.setdefault(start, []).append((p, bits))
    return out


def bit63_fixed(facts: CodeFacts, entries: set[str], bit: int | None) -> dict[str, str]:
    """What bit 63 of the leaf, ``bit`` (None: either), fixes in the runs of ``entries`` (models.leafbits). With
    leaves of both components, what either value fixes alike is fixed for every leaf, whatever the bit (a macro's
    'do { } while (0)', code under 'if (0)')."""
    bits = ("0", "1") if bit is None else (str(bit),)
    each = [fixed_for(facts.bit63_fixed.get(b, {}), facts.bit63_gains.get(b, {}), entries) for b in bits]
    return {key: value for key, value in each[0].items() if all(f.get(key) == value for f in each[1:])}


def other_bits_stores(facts: CodeFacts | str, entries: Iterable[str]) -> dict[str, dict[str, str]]:
    """Per entry point, the stores its runs may make of a value computed from bits of the leaf other than bit 63
    (models.leafbits' OTHER_BITS marks, ``"=path:line:col"``: ``busy = codes[fn & 3];``), for either value of the
    bit: what a same_across_leaves rule cannot show by the leaves it compares (harness.leafsame). The rest of what
    bit 63 fixes is left out: such a rule compares leaves of both components. Empty for code not read (``facts`` a
    reason)."""
    if isinstance(facts, str):
        return {}
    return {e: {k: x for b in (0, 1) for k, x in bit63_fixed(facts, {e}, b).items() if k[:1] == "="}
            for e in entries}


def _split(where: str) -> tuple[str, int, int]:
    rest, _, col = where.rpartition(":")
    path, _, line = rest.rpartition(":")
    return path, int(line), int(col)
