"""The behaviour matrix: a TOML file of entry points, leaves, scripts and units, expanded into scenarios."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import field, replace
from enum import StrEnum
from functools import cached_property, lru_cache
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from harness.errors import InputError, Where
from harness.matrixtext import (
    answers_where,
    check_names,
    describe_answers,
    item_where,
    quoted_line,
    table_lines,
)
from harness.scriptenv import REGISTERS as REGISTERS
from harness.scriptenv import int64 as _int
from harness.scriptenv import key_lines, script_env, script_inputs
from harness.spec import key_locator, read_spec, unknown
from harness.tomlfile import line_of, parse_toml, read_toml_text, value_line
from models.machine import Answer
from models.record import record
from series import BUNDLED

if TYPE_CHECKING:
    from harness.unreadbounds import UnreadBound

# How an entry point's parameter is fed in each scenario (the loader's wrapper passes these).
FEEDS = {"fn": "the scenario's leaf", "args": "the run's struct tdx_module_args *",
         "answer": "the script's first answer (a status code)", "zero": "0"}
T = TypeVar("T")

_REPEAT = re.compile(r"^([A-Za-z_]\w*)\s*\*\s*(\d+)$")
# Bounds on what a few bytes of TOML can ask for (memory and time stay bounded whatever the file says): a
# script's answers after "CODE*N" and repeat_first are expanded (the last answer repeats past the end, so a
# long list is never needed), and the scenarios of the whole matrix.
MAX_ANSWERS = 10_000
MAX_ALL_ANSWERS = 1_000_000  # over every script of the file
MAX_SCENARIOS = 200_000
# The name of the scripts of value runs (harness.valuecover), which a comparison makes and no matrix has:
# neighbour-0x8000020300000001 (then SUCCESS); a rule naming one is told so (harness.ruleselect).
VALUE_SCRIPT = "neighbour"


@record
class _UnitSpec:
    name: str
    path: str | None = None


@record
class _EntrySpec:
    name: str
    units: tuple[str, ...] | None = None
    args: tuple[str, ...] = ("fn", "args")
    leaves: tuple[str, ...] | None = None


@record
class _ScriptSpec:
    name: str
    answers: tuple[Any, ...]
    repeat_first: tuple[int, ...] | None = None
    leaves: tuple[str, ...] | None = None
    cpu: int = 0
    inputs: dict[str, Any] = field(default_factory=dict)
    context: str = "task"  # what the entry point is called from: task, softirq, hardirq, nmi (models.runcontext)
    cpu_has: tuple[str, ...] = ()  # X86_FEATURE_* / X86_BUG_* names boot_cpu_has() and its kin find set
    cpu_lacks: tuple[str, ...] = ()  # ... and those they find clear (any other they test: the run is refused)
    static_keys_on: tuple[str, ...] = ()  # static keys (models.statickeys) the run starts with on, by C name
    static_keys_off: tuple[str, ...] = ()  # ... and off (any other starts as its DEFINE_ macro says)


@record
class _ScenarioSpec:
    entry: str
    leaf: str
    script: str
    unit: str | None = None


@record
class _MatchSpec:
    identifiers: tuple[str, ...] = ()
    seamcalls: bool = False  # code that issues a SEAMCALL (harness.seamcode), whatever its functions are named
    retry_loops: bool = False  # code that retries a SEAMCALL wrapper's call on its status


@record
class MatrixFile:
    """A matrix file as written (docs/matrix.md): every table and key it may hold, each of its type."""

    codes: dict[str, Any] = field(default_factory=dict)
    leaves: dict[str, Any] = field(default_factory=dict)
    unit: tuple[_UnitSpec, ...] = ()
    entry: tuple[_EntrySpec, ...] = ()
    script: tuple[_ScriptSpec, ...] = ()
    scenario: tuple[_ScenarioSpec, ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    match: _MatchSpec = field(default_factory=_MatchSpec)


@record
class Unit:
    """A translation unit: a name and the file whose pr_fmt applies."""

    name: str
    path: str


class EntryKind(StrEnum):
    """Where an entry point comes from: the matrix file, or the code itself (harness.discover)."""

    MATRIX = "matrix"
    DISCOVERED = "discovered"  # a function or macro of the helper code that reaches a SEAMCALL
    CHANGED = "changed"  # a function a patch changes, run directly because no usual entry can reach it
    RENAMED = "renamed"  # a matrix entry point a patch or a revision renames (harness.renames), run as the old


@record
class Entry:
    """An entry point and how it is called: ``args`` feeds each parameter (see FEEDS)."""

    name: str
    units: tuple[str, ...]
    args: tuple[str, ...]
    kind: EntryKind = EntryKind.MATRIX
    origin: str | None = None  # file:line where a discovered entry is defined
    leaves: tuple[str, ...] | None = None  # the leaves it runs under, as the matrix says (None: see _expand)


@record
class Script:
    """Named answers of the SEAM world, one per SEAMCALL (the last repeats)."""

    name: str
    answers: tuple[Answer, ...]
    text: str
    leaves: tuple[str, ...] | None = None
    cpu: int = 0  # the CPU the runs are on: smp_processor_id(), the per-CPU copies this_cpu_*() reach
    # The members of the entry's struct tdx_module_args set before each run (the rest are 0): with all of them 0, code
    # clearing the inputs (memset(args, 0, ...) before a retry) changed no SEAMCALL the runs recorded.
    inputs: tuple[tuple[str, int], ...] = ()
    context: str = "task"  # the context the entry point is called in (models.runcontext.CONTEXTS)
    # (X86_FEATURE_* name, the CPU has it): its cpu_has and cpu_lacks; (a static key's name, on): static_keys_on, _off
    features: tuple[tuple[str, bool], ...] = ()
    key_lines: tuple[tuple[str, str, int], ...] = ()  # (static key, the file and the line naming it)


@record
class Scenario:
    """One cell of the matrix."""

    id: str
    entry: Entry
    leaf_name: str
    leaf: int
    script: Script
    unit: Unit
    # An entry point fed no leaf runs once for its leaf's kind (_expand): the leaves of that kind it runs for.
    stands_for: tuple[str, ...] = ()

    @property
    def leafless(self) -> bool:
        """Whether the entry point is fed no leaf (_expand): it issues a leaf of its own choosing, whichever
        leaf's answers the script stands for."""
        return "fn" not in self.entry.args and self.entry.leaves is None

    def shown(self, issued: str = "") -> str:
        """The scenario as notes and evidence name it: its id, but 'ENTRY/its own leaf/SCRIPT/UNIT' (``issued``: the
        leaf the run issued, 'its own leaf 0x22') for an entry point fed no leaf: the id's leaf is the kind of leaf
        it stood for, never one its code issued."""
        if not self.leafless:
            return self.id
        leaf = f"its own leaf {issued}" if issued else "its own leaf"
        return f"{self.entry.name}/{leaf}/{self.script.name}/{self.unit.name}"

    def of_leaf(self, names: Collection[str]) -> bool:
        """Whether the scenario runs for one of the leaves ``names``: its own, or one it stands for (a rule on
        SEAMLDR_INSTALL judges int f(void) run once for the P-SEAMLDR's leaves)."""
        return self.leaf_name in names or any(n in names for n in self.stands_for)


@record
class Matrix:
    """A loaded matrix file and its scenarios, in a stable order."""

    path: Path
    codes: dict[str, int]
    leaves: dict[str, int]
    units: tuple[Unit, ...]
    entries: tuple[Entry, ...]
    scripts: tuple[Script, ...]
    scenarios: tuple[Scenario, ...]
    recognises: tuple[str, ...] = ()  # shell patterns of C identifiers: see code_matches()
    params: tuple[tuple[str, str], ...] = ()  # parameter name -> feed, for discovered entry points
    does: tuple[str, ...] = ()  # what code it is for does (harness.seamcode.KINDS), beside the names it recognises
    # Per repeat_first script table: its name, the code it answers first, and the counts it runs (the file's, then
    # those at the bounds of the code's retry loops: harness.retrycounts).
    repeated: tuple[tuple[str, int, tuple[int, ...]], ...] = ()
    # (variant, what the matrix does not run that its code asks for: a retry bound the code does not fix)
    notes: tuple[tuple[str, str], ...] = ()
    added: tuple[Path, ...] = ()  # the --matrix-add files whose scripts it holds too (harness.matrixadd)
    # The retry bounds the variants' code does not fix (harness.unreadbounds), said once the runs are made
    unread: tuple[UnreadBound, ...] = ()
    # (header, how it is known) of each header holding an entry point that no unit includes
    # (harness.headerunits.unincluded): no build compiles its code, and a run of it is said not run (harness.norun)
    unincluded: tuple[tuple[str, str], ...] = ()

    def with_notes(self, notes: tuple[tuple[str, str], ...], unread: tuple[UnreadBound, ...] = ()) -> Matrix:
        """This matrix, with these (variant, note) said beside its own, and these unread bounds."""
        return replace(self, notes=self.notes + notes, unread=self.unread + unread) if notes or unread else self

    def with_entries(self, extra: list[Entry], units: list[Unit]) -> Matrix:
        """This matrix and more entry points (and units), their scenarios expanded after the others. Raises InputError
        (the matrix's first line) past MAX_SCENARIOS in all, counted as load_matrix counts them: the entry points a
        series adds ran each script again (20,000 scripts of one entry: 80,000 scenarios, 960,000 with the six
        added, 27.6 s of CPU and 1.55 GB)."""
        all_units = self.units + tuple(units)
        size = len(self.scenarios) + _count(extra, self.leaves, self.scripts)
        if size > MAX_SCENARIOS:
            raise InputError(Where(str(self.path), 1), f"the matrix expands to {size:,} scenarios with the "
                             f"{len(extra)} entry point{'s' if len(extra) > 1 else ''} the series adds "
                             f"({', '.join(e.name for e in extra[:3])}{', ...' if len(extra) > 3 else ''}): at most "
                             f"{MAX_SCENARIOS:,} are run")
        added = _expand(extra, self.leaves, list(self.scripts), all_units)
        return replace(self, units=all_units, entries=self.entries + tuple(extra),
                       scenarios=self.scenarios + tuple(added))

    def scenario(self, sid: str) -> Scenario:
        return self.scenarios[self.position(sid)]

    def position(self, sid: str) -> int:
        return self._positions[sid]

    @property
    def positions(self) -> Mapping[str, int]:
        """Each scenario's position, by its id."""
        return self._positions

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.scenarios)}


def _answer(item: Any, codes: dict[str, int], where: Where) -> list[Answer]:
    if isinstance(item, dict):
        if "code" not in item:  # else said 'answer must be an integer, not None' of a table never given one
            raise InputError(where, f"an answer table needs a 'code' (the status in rax): {item!r}")
        code = _code(item["code"], codes, where)
        regs = tuple((r, _int(v, where, f"register {r}")) for r, v in item.items() if r != "code")
        for r, _ in regs:
            if r not in REGISTERS:
                raise InputError(where, unknown("register", r, REGISTERS))
        return [Answer(code, regs)]
    if isinstance(item, str) and (m := _REPEAT.match(item.strip())) is not None:
        if int(m.group(2)) > MAX_ANSWERS:
            raise InputError(where, f"{item.strip()}: a script holds at most {MAX_ANSWERS} answers (the last one "
                                    "repeats past the end)")
        return [Answer(_code(m.group(1), codes, where))] * int(m.group(2))
    return [Answer(_code(item, codes, where))]


def _code(value: Any, codes: dict[str, int], where: Where) -> int:
    if isinstance(value, str):
        if value not in codes:
            raise InputError(where, unknown("code", value, codes) + " (or define it under [codes])")
        return codes[value]
    return _int(value, where, "answer")


def _scripts(specs: tuple[_ScriptSpec, ...], codes: dict[str, int], path: Path, text: str, more: tuple[int, ...] = ()
             ) -> list[Script]:
    """Each script table's scripts; one with repeat_first also at each count of ``more`` it does not list (its
    counts then ascending)."""
    out: list[Script] = []
    seen: set[str] = set()
    total = 0  # answers of every script so far: a few bytes of repeat_first must not fill memory
    for table in specs:
        where = Where(str(path), quoted_line(text, table.name))
        raw = list(table.answers)
        if not table.name or not raw:
            raise InputError(where, "a script needs a name and a non-empty 'answers' list")
        counts = table.repeat_first
        if counts and not set(more) <= set(counts):  # repeat_first = [] asks for none: kept so
            counts = tuple(sorted(set(counts) | set(more)))
        if counts is not None and (len(counts) > MAX_ANSWERS or any(n < 0 or n > MAX_ANSWERS for n in counts)):
            raise InputError(where, f"script {table.name}: repeat_first holds at most {MAX_ANSWERS} counts, each "
                                    f"0 to {MAX_ANSWERS}")
        context, features, env = script_env(table, where, path, text)
        inputs = script_inputs(table, path, text)
        for n in counts if counts is not None else (None,):
            items = raw if n is None else [f"{raw[0]}*{n}" if isinstance(raw[0], str) else raw[0], *raw[1:]]
            answers = _answers(items, codes, answers_where(text, where), text)
            total += len(answers)
            if total > MAX_ALL_ANSWERS:
                raise InputError(where, f"the scripts hold more than {MAX_ALL_ANSWERS} answers in all")
            name = table.name if n is None else f"{table.name}-x{n}"
            if not answers:  # "CODE*0" alone: no answer at all, and a SEAMCALL would get a silent 0
                raise InputError(where, f"script {name}: no answer left ({describe_answers(items)}); give at least one")
            if name in seen:  # one scenario id for both: one of them would never run
                raise InputError(where, f"script {name} is given twice")
            seen.add(name)
            shown = describe_answers(items) + (f"; args in {describe_answers([dict(inputs)])}" if inputs else "") + env
            out.append(Script(name, tuple(answers), shown, table.leaves, table.cpu, inputs, context, features,
                              key_lines(table, path, text)))
    return out


def _answers(items: list[Any], codes: dict[str, int], where: Where, text: str) -> list[Answer]:
    answers: list[Answer] = []
    for item in items:
        answers.extend(_answer(item, codes, item_where(text, where, item)))
        if len(answers) > MAX_ANSWERS:
            raise InputError(where, f"a script holds at most {MAX_ANSWERS} answers (the last one repeats past the end)")
    return answers


_ASSIGN = re.compile(r'\s*"?([A-Za-z0-9_.-]+)"?\s*=')


def _named_ints(table: dict[str, Any], key: str, path: Path, text: str) -> dict[str, int]:
    # Each name's line from one pass over the text (a search per name is quadratic in a long table).
    lines: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if (m := _ASSIGN.match(line)) is not None:
            lines.setdefault(m.group(1), n)
    return {k: _int(v, Where(str(path), lines.get(k, 0)), f"{key}.{k}") for k, v in table.items()}


def load_matrix(path: Path, more: tuple[int, ...] = ()) -> Matrix:
    """Read, check and expand a matrix file (MatrixFile: an unknown key, a wrong type, a name that is not
    defined, a script or a matrix past MAX_ANSWERS / MAX_SCENARIOS are refused). Raises InputError naming
    the file and line. ``more``: counts each repeat_first script runs besides its own (harness.retrycounts).

    The file is read each time; what is made of its text is kept for the process (a frozen Matrix), as a
    command loads the same matrix several times (picked, then with the retry bounds) and a test session
    hundreds of times: checking and expanding it was some 30 ms each."""
    return _matrix_of(path, read_toml_text(path), more, MAX_SCENARIOS, MAX_ANSWERS, MAX_ALL_ANSWERS)


@lru_cache(maxsize=16)
def _matrix_of(path: Path, text: str, more: tuple[int, ...], *limits: int) -> Matrix:
    """load_matrix of the text read from ``path``; ``limits``, the caps it is checked against, only key it."""
    data = parse_toml(path, text)
    spec = read_spec(MatrixFile, data, key_locator(text, str(path), 1, text.count("\n") + 1))
    check_names(spec, path, text)
    codes = _named_ints(spec.codes, "codes", path, text)
    leaves = _named_ints(spec.leaves, "leaves", path, text)
    units = tuple(Unit(u.name, u.path or u.name) for u in spec.unit)
    unit_names = [u.name for u in units]
    entries = []
    for e, line in zip(spec.entry, table_lines(text, "entry", len(spec.entry)), strict=True):
        # Its own [[entry]] table's place (the name's key in an inline array of tables): the name quoted first
        # may be another table's ([match] identifiers, a comment), and the keys below were searched from there.
        line = line or value_line(text, 0, "name", e.name) or quoted_line(text, e.name)
        where = Where(str(path), line)
        names = e.units if e.units is not None else tuple(unit_names)
        if not e.name:
            raise InputError(where, "an entry needs a name")
        for u in names:
            if u not in unit_names:
                raise InputError(Where(str(path), value_line(text, line, "units", str(u))),
                                 f"entry {e.name}: " + unknown("unit", str(u), unit_names))
        if (bad := next((a for a in e.args if a not in FEEDS), None)) is not None:
            raise InputError(Where(str(path), value_line(text, line, "args", bad)),
                             f"entry {e.name}: args {bad!r}: entry args may only be {', '.join(FEEDS)}")
        for leaf in e.leaves or ():
            if leaf not in spec.leaves:
                raise InputError(Where(str(path), value_line(text, where.line, "leaves", str(leaf))),
                                 f"entry {e.name}: " + unknown("leaf", str(leaf), spec.leaves))
        entries.append(Entry(e.name, names, e.args, leaves=e.leaves))
    scripts = _scripts(spec.script, codes, path, text, more)
    if not entries or not leaves or not scripts or not units:
        raise InputError(str(path), "a matrix needs at least one unit, entry, leaf and script")
    size = _count(entries, leaves, scripts)
    if size > MAX_SCENARIOS:
        raise InputError(Where(str(path), 1), f"the matrix expands to {size} scenarios (at most {MAX_SCENARIOS})")
    scenarios = _expand(entries, leaves, scripts, units)
    scenarios += _extra(spec.scenario, entries, leaves, scripts, units, path, text, {s.id for s in scenarios})
    if any(v not in FEEDS for v in spec.params.values()):
        raise InputError(Where(str(path), line_of(text, "[params]")), f"[params] maps parameter names to one of "
                         f"{', '.join(FEEDS)}")
    if not all(spec.match.identifiers):
        raise InputError(Where(str(path), line_of(text, "identifiers")), "match.identifiers must be a list of "
                         "shell patterns of C identifiers")
    does = tuple(k for k, on in (("seamcalls", spec.match.seamcalls), ("retry_loops", spec.match.retry_loops)) if on)
    repeated = tuple((t.name, _first_code(t, codes, path, text), t.repeat_first if set(more) <= set(t.repeat_first)
                      else tuple(sorted(set(t.repeat_first) | set(more)))) for t in spec.script if t.repeat_first)
    return Matrix(path, codes, leaves, units, tuple(entries), tuple(scripts), tuple(scenarios),
                  spec.match.identifiers, tuple(sorted(spec.params.items())), does, repeated)


def _first_code(table: _ScriptSpec, codes: dict[str, int], path: Path, text: str) -> int:
    """The code a script table answers first (its answers were read by _scripts: no error left to raise)."""
    first = table.answers[0]
    item = first.split("*")[0].strip() if isinstance(first, str) and _REPEAT.match(first.strip()) else first
    return _answer(item, codes, Where(str(path), quoted_line(text, table.name)))[0].code


def _count(entries: list[Entry] | tuple[Entry, ...], leaves: dict[str, int], scripts: list[Script] | tuple[Script, ...]
           ) -> int:
    """How many scenarios _expand makes of these, without making them: a script's or entry point's own ``leaves``
    narrow its leaves, and an entry point fed no leaf runs once per kind of leaf (scripts grouped by their leaves, so
    20,000 scripts cost a few steps)."""
    by_leaves = Counter(s.leaves for s in scripts)
    total = 0
    for e in entries:
        for only, n in by_leaves.items():
            names = [x for x in leaves if (only is None or x in only) and (e.leaves is None or x in e.leaves)]
            runs = len({leaves[x] >> 63 for x in names}) if "fn" not in e.args and e.leaves is None else len(names)
            total += runs * n * len(e.units)
    return total


def _expand(entries: list[Entry] | tuple[Entry, ...], leaves: dict[str, int], scripts: list[Script],
            units: tuple[Unit, ...]) -> list[Scenario]:
    """Each entry point under each leaf, script and unit of its own. An entry point no parameter of which is fed the
    leaf ("fn" not among its args: int f(void), one that makes the SEAMCALL of its own choosing) runs the same code
    under every leaf: it runs once per script and unit for each kind of leaf (bit 63: the TDX module's or the
    P-SEAMLDR's, whose answers the script then stands for: harness.expectations.issued_leaves), under the first leaf of
    that kind the script takes, unless the matrix names its leaves."""
    by_name = {u.name: u for u in units}
    out = []
    stood: set[tuple[str, str, int]] = set()  # (entry, script, kind) a leafless entry point already runs under
    for e, (lname, leaf), s in product(entries, leaves.items(), scripts):
        if (s.leaves is not None and lname not in s.leaves) or (e.leaves is not None and lname not in e.leaves):
            continue
        kind: tuple[str, ...] = ()
        if "fn" not in e.args and e.leaves is None:
            if (e.name, s.name, leaf >> 63) in stood:
                continue
            stood.add((e.name, s.name, leaf >> 63))
            kind = tuple(n for n, x in leaves.items() if n != lname and x >> 63 == leaf >> 63
                         and (s.leaves is None or n in s.leaves))
        for uname in e.units:
            out.append(Scenario(f"{e.name}/{lname}/{s.name}/{uname}", e, lname, leaf, s, by_name[uname], kind))
    return out


def _extra(rows: tuple[_ScenarioSpec, ...], entries: list[Entry], leaves: dict[str, int], scripts: list[Script],
           units: tuple[Unit, ...], path: Path, text: str, taken: set[str]) -> list[Scenario]:
    """The [[scenario]] rows; one the grid (or an earlier row) already has is refused: a scenario id names one
    scenario, and the report would hold its rows twice."""
    out = []
    for row, line in zip(rows, table_lines(text, "scenario", len(rows)), strict=True):
        e = _named(entries, row.entry, "entry", path, text, line)
        s = _named(scripts, row.script, "script", path, text, line)
        u = _named(units, row.unit or e.units[0], "unit", path, text, line)
        if row.leaf not in leaves:
            raise InputError(Where(str(path), value_line(text, line, "leaf", row.leaf)),
                             "scenario: " + unknown("leaf", row.leaf, leaves))
        sid = f"{e.name}/{row.leaf}/{s.name}/{u.name}"
        if sid in taken:  # said at its entry's key where no [[scenario]] header is (an inline array of tables)
            raise InputError(Where(str(path), line or value_line(text, 0, "entry", e.name)),
                             f"scenario {sid} is already in the matrix (each entry x leaf x script x unit of its "
                             "units): an extra scenario is one the grid leaves out")
        taken.add(sid)
        out.append(Scenario(sid, e, row.leaf, leaves[row.leaf], s, u))
    return out


def bundled_matrices() -> list[Path]:
    """The matrix files that come with seamharness, one per series folder."""
    return sorted(BUNDLED.glob("*/matrix.toml"))


def _named(items: Sequence[T], name: object, what: str, path: Path, text: str, line: int) -> T:
    """The item called ``name``; an unknown name lists every known one, the closest first, at the line of the key
    of the [[scenario]] table at ``line`` that gives it."""
    for x in items:
        if getattr(x, "name", None) == name:
            return x
    raise InputError(Where(str(path), value_line(text, line, what, str(name))),
                     "scenario: " + unknown(what, str(name), [str(getattr(x, "name", x)) for x in items]))


def bundled_matrix(folder: Path) -> Path | None:
    path = folder / "matrix.toml"
    return path if path.is_file() else None
