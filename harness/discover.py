"""discover_entries: entry points found in the code itself, beside the matrix's own.

Two kinds, both run through the same scripts as the matrix's entries:

- DISCOVERED: a function or function-like macro of any variant's C that reaches a SEAMCALL (one of
  the responder functions, directly or through what it calls) and whose parameters the matrix can
  feed: a new wrapper in a new file is run without anyone listing it.
- RENAMED: an entry point of the matrix that a patch, a revision or a reviewer variant's own diffs rename
  (harness.renames): run under its new name with the old one's units and arguments, so that the two can be
  compared.
- CHANGED: a function a patch changes, whose whole body is visible, that no provided matrix entry
  reaches: where the usual entries cannot run (helpers known only from hunks), the changed code is
  still run directly, so that a patch like "print the leaf in decimal" shows what it prints. One a rename
  shows (a helper moved and renamed) brings its old name along, run in the new one's units with the same
  arguments, so that the comparison pairs the two (harness.renamepair) rather than call the new name new.

A parameter is fed by name through the matrix's ``[params]`` (over ``DEFAULT_FEEDS``), and a
``struct tdx_module_args *`` always gets the run's argument block; anything else makes the function
not drivable, and it is left out.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache

from harness.findings import hunk_offsets
from harness.headerunits import header_homes, held_units, new_header_homes, unincluded
from harness.matrix import Entry, EntryKind, Matrix, Unit
from harness.model import Patch, Series
from harness.renames import Rename, patch_renames, proposal_renames, revision_renames
from harness.runner import variant_sources
from harness.rununits import private_elsewhere
from harness.statenames import prefix_states, state_alias
from harness.variants import Variant
from models.loader import Source, definitions, reachable
from models.outcome import SEAM_FUNCTIONS
from models.outparams import OUT_FEED
from models.prelude import macro_lines
from models.primnames import PRIMITIVE_NAMES
from models.slicer import Definition, Kind

DEFAULT_FEEDS = {"fn": "fn", "leaf": "fn", "op": "fn", "args": "args", "err": "answer", "error": "answer",
                 "ret": "answer", "status": "answer", "sret": "answer"}
_INTEGER = re.compile(r"^(?:const\s+)?(?:unsigned\s+|signed\s+)?(?:u8|u16|u32|u64|s8|s16|s32|s64|int|long|"
                      r"long\s+long|short|char|unsigned|__u64|__u32|size_t)(?:\s+(?:int|long))*$")


# What follows a function's name in its head: the parameter list, then attributes (``__init``, ``__must_check``).
_AFTER_NAME = r"\s*\((.*)\)\s*(?:__\w+\s*(?:\([^)]*\))?\s*)*$"
_PARAMS_AFTER = re.compile(_AFTER_NAME)


def param_text(head: str, name: str) -> str | None:
    """The parameter list of ``name`` in a definition's ``head``: what ``re.search(r"\bNAME" + _AFTER_NAME, head)``
    finds, with one pattern for every name (compiling one per name was a sixth of finding entry points)."""
    if not name or not (name[0].isalnum() or name[0] == "_"):
        m = re.search(rf"\b{re.escape(name)}{_AFTER_NAME}", head)
        return None if m is None else m.group(1)
    at = head.find(name)
    while at >= 0:
        if at == 0 or not (head[at - 1].isalnum() or head[at - 1] == "_"):  # re's \b before a word character
            m = _PARAMS_AFTER.match(head, at + len(name))
            if m is not None:
                return m.group(1)
        at = head.find(name, at + 1)
    return None


def _params(d: Definition) -> list[tuple[str, str]] | None:
    """(type, name) of each parameter of a function definition, or a macro's names with no type."""
    if d.kind is Kind.MACRO:
        return [("", p) for p in d.params or ()] if d.params is not None else None
    found = param_text(" ".join(d.text.split("{", 1)[0].split()), d.name)
    if found is None:
        return None
    inner = found.strip()
    if inner in ("", "void"):
        return []
    out = []
    for part in inner.split(","):
        words = re.match(r"^(.*?)([A-Za-z_]\w*)\s*(\[\s*\])?$", part.strip())
        if words is None:
            return None
        out.append((" ".join(words.group(1).replace("*", " * ").split()), words.group(2)))
    return out


def hands_seam(table: dict[str, list[Definition]]) -> dict[str, str]:
    """Functions that take a ``struct tdx_module_args`` and may call a parameter of their own again: twice or more,
    or in a loop (sc_retry()'s shape, retrying a SEAMCALL they are handed: the kernel's callers pass
    ``__seamcall``), whether or not they name a SEAM function; by name, the parameter called. reaches_seam does not
    list them (they name none), and the matrix cannot feed a function pointer: without this, a retry helper no caller
    in the files runs was code no rule saw. One calling it once, with no loop (``__seamcall_dirty_cache()``), cannot
    make a SEAMCALL again itself."""
    out: dict[str, str] = {}
    for name, ds in table.items():
        if ds[0].kind is Kind.FUNCTION and (called := _handed_call(name, ds[0].text)) is not None:
            out[name] = called
    return out


# Per definition text: the variants' tables share most definitions (the corpus' eval: 410 read, a few distinct).
@lru_cache(maxsize=4096)
def _handed_call(name: str, text: str) -> str | None:
    """hands_seam of one function's text: the parameter it may call again, or None."""
    at = text.find("{")
    if at < 0 or "tdx_module_args" not in text[:at]:  # taken as a parameter
        return None
    params = set(_param_names(param_text(" ".join(text[:at].split()), name) or ""))
    body = text[at:]
    calls = [c for c in _CALL.findall(body) if c in params]
    return calls[0] if len(calls) > 1 or (calls and _LOOPS.search(body)) else None


# A loop, or a jump back, in a body (strings and comments blanked by the slicer): a call made once per round.
_LOOPS = re.compile(r"\b(?:for|while|do|goto)\b")


_POINTER_NAME = re.compile(r"\(\s*\*\s*([A-Za-z_]\w*)\s*\)")  # u64 (*op)(u64 fn, ...)
_LAST_NAME = re.compile(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*$")  # sc_func_t op, u64 regs[2]


def parameter_names(d: Definition) -> list[str]:
    """The names of the parameters of a function definition ``d``, in order ('u64 (*op)(u64 fn)' names op); [] for
    one of none, or whose head is not read."""
    at = d.text.find("{")
    return _param_names(param_text(" ".join(d.text[:at].split()), d.name) or "") if at >= 0 else []


def _param_names(inner: str) -> list[str]:
    """The names a parameter list declares, a function pointer's (``u64 (*op)(u64, ...)``) among them."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    names = []
    for part in parts:
        m = _POINTER_NAME.search(part) or _LAST_NAME.search(part)
        if m is not None and m.group(1) != "void":
            names.append(m.group(1))
    return names


def feeds_for(d: Definition, feeds: dict[str, str], outs: bool = False) -> tuple[str, ...] | None:
    """How each parameter of ``d`` is fed, or None when one cannot be fed; a macro's ``__fn``/``_args`` go by
    ``fn``/``args`` (the kernel's wrapper macros underscore their parameters) unless ``feeds`` names them. ``outs``:
    an out-parameter (out_feed) is fed too, for a function reaching a SEAMCALL (a DISCOVERED entry point); a changed
    function that reaches none keeps to what it was fed before (the corpus' vmx.h cpu_vmcs_store(u64 *), inline asm
    the mirror cannot run, made a rule on the state before the series inconclusive)."""
    params = _params(d)
    if params is None:
        return None
    out = [_feed(ctype, name, feeds, outs) for ctype, name in params]
    return None if None in out else tuple(x for x in out if x is not None)


def _feed(ctype: str, name: str, feeds: dict[str, str], outs: bool = True) -> str | None:
    # A macro spells its parameters apart from the caller's names (seamcall_prerr(__fn, __args)): _fn is fn.
    key = name if name in feeds or ctype else name.strip("_")
    if "tdx_module_args" in ctype and "*" in ctype:
        return "args"
    if key in feeds and (not ctype or _INTEGER.match(ctype) or feeds[key] == "args"):
        return feeds[key]
    return out_feed(ctype) if outs else None


def out_feed(ctype: str) -> str | None:
    """The feed of an out-parameter, a pointer to one integer (``u64 *value``, ``int *ret``, ``bool *done``) or to a
    struct (``struct tdx_sys_info *si``): a pointer to an object of that type standing for the caller's, what the run
    stores there part of the outcome and a read of what it has not stored refused, as the caller decides it
    (models.outstate: an in/out parameter is no out-parameter). None for a ``const`` pointee (an input: what callers
    put there is not known), ``void *``, a pointer to a pointer, a union, a byte (``u8 *buf``, ``char *name``: a
    buffer or a string, whose second byte the object lacks), a function pointer."""
    base, star, rest = ctype.rpartition("*")
    base = base.strip()
    if not star or rest.strip() not in ("", "const") or "*" in base or not base or base.startswith("const ") \
            or base.endswith(" const"):
        return None
    if _BYTES.match(base):
        return None  # u8 *buf, char *name: a buffer or a string far more often than one byte handed back
    if _STRUCT.match(base):  # its members the run stores are the outcome's; one read before a store is refused
        return f"{OUT_FEED}{' '.join(base.split())}"
    return f"{OUT_FEED}{base}" if _INTEGER.match(base) or base in ("bool", "_Bool") else None


_STRUCT = re.compile(r"^struct\s+[A-Za-z_]\w*$")


_BYTES = re.compile(r"^(?:(?:unsigned|signed)\s+)?(?:u8|s8|__u8|char)$")


def unfed(d: Definition, matrix: Matrix) -> str | None:
    """Why a function that reaches a SEAMCALL is no entry point found in the code: the parameters the matrix cannot
    feed ("its parameter 'const u8 *image'"); None when it feeds them all or they cannot be read."""
    params = _params(d)
    feeds = {**DEFAULT_FEEDS, **dict(matrix.params)}
    left = [f"'{t}{'' if not t or t.endswith('*') else ' '}{n}'{_why_not(t)}" for t, n in params or ()
            if _feed(t, n, feeds) is None]
    if not left:
        return None
    return f"the matrix cannot feed its parameter{'s' if len(left) > 1 else ''} {', '.join(left)}"


def _why_not(ctype: str) -> str:
    """Why a pointer parameter gets no zeroed object (out_feed), said after it; "" for any other."""
    base = ctype.rpartition("*")[0].strip()
    if not base:
        return ""
    if "*" in base:
        return " (a pointer to a pointer)"
    if base.startswith("const ") or base.endswith(" const"):
        return " (an input: what callers put there is not known)"
    if base == "void":
        return " (no type to zero)"
    if _BYTES.match(base):
        return " (a buffer or a string: how long is not known)"
    if base.startswith("union "):
        return " (a union: which member the caller means is not known)"
    return ""


def reaches_seam(table: dict[str, list[Definition]]) -> set[str]:
    """Names of the definitions whose code reaches a SEAMCALL responder, directly or through calls."""
    callers: dict[str, list[str]] = {}  # name -> the definitions naming it
    reached: set[str] = set()
    for name, ds in table.items():
        ids = ds[0].identifiers()
        if ids & SEAM_FUNCTIONS:
            reached.add(name)
        for callee in ids & table.keys():
            callers.setdefault(callee, []).append(name)
    todo = list(reached)
    while todo:  # back along the calls, each name once: a pass over every definition per name found was quadratic
        for caller in callers.get(todo.pop(), ()):
            if caller not in reached:
                reached.add(caller)
                todo.append(caller)
    return reached


def _units_for(d: Definition, matrix: Matrix) -> tuple[str, ...] | Unit:
    """A .c file's own unit (new when the matrix has none for it); every unit for a header."""
    if d.path.endswith(".c"):
        same = [u.name for u in matrix.units if u.path == d.path]
        return tuple(same) if same else Unit(d.path.rsplit("/", 1)[-1], d.path)
    return tuple(u.name for u in matrix.units)


def _unit_at(units: dict[str, Unit], matrix: Matrix, placed: Unit) -> Unit:
    """The unit of a .c file found in the code, made once per path; named by its path where its file name is
    another unit's."""
    taken = {u.name for u in matrix.units} | {u.name for u in units.values() if u.path != placed.path}
    return units.setdefault(placed.path, placed if placed.name not in taken else Unit(placed.path, placed.path))


def _c_units(path: str, units: dict[str, Unit], matrix: Matrix) -> tuple[str, ...]:
    """The units of a .c file that includes a header: the matrix's for its path, else one of its own."""
    same = tuple(u.name for u in matrix.units if u.path == path)
    return same or (_unit_at(units, matrix, Unit(path.rsplit("/", 1)[-1], path)).name,)


def _placed(home: Definition, matrix: Matrix, units: dict[str, Unit], homes: dict[str, tuple[str, ...]],
            held: frozenset[str] | None) -> tuple[str, ...]:
    """The units an entry point defined at ``home`` runs in: a .c file's own; a header's, the .c files including it
    (``homes``: harness.headerunits), else the matrix's units a state holds, else all."""
    placed = _units_for(home, matrix)
    if isinstance(placed, Unit):
        return (_unit_at(units, matrix, placed).name,)
    if home.path in homes:
        # A header's code runs in the .c files that include it: the tree's, the matrix's units not being there; or
        # from mail alone, those whose patches include a header the series creates.
        return tuple(n for c in homes[home.path] for n in _c_units(c, units, matrix))
    return tuple(u for u in placed if u in held) or placed if held else placed


def _seam_wrappers(sources: tuple[Source, ...], matrix: Matrix, feeds: dict[str, str]) -> Iterable[Definition]:
    table = definitions(sources)
    known = {e.name for e in matrix.entries} | SEAM_FUNCTIONS
    # A tree's <...> header gives the code what it misses (harness.sysheaders): its helpers run as the code calls
    # them, never as entry points of their own.
    headers = {s.path for s in sources if s.only is not None}
    for name in sorted(reaches_seam(table) - known):
        d = table[name][0]
        # A wrapper with no parameter (``int seamldr_probe(void)``) is driven by the scripts' answers alone.
        if d.kind in (Kind.FUNCTION, Kind.MACRO) and not name.startswith("__sh_") and d.path not in headers \
                and feeds_for(d, feeds, outs=True) is not None:
            yield d


def _added(patch: Patch, offsets: dict[tuple[str, str], int]) -> dict[str, list[int]]:
    """Per file, the lines the patch's hunks add, in the state after the patch (each hunk where git apply placed it:
    ``offsets``, harness.findings.hunk_offsets), in order: read once, not for each definition (5,000 changed
    functions read every hunk line 5,000 times)."""
    out: dict[str, list[int]] = {}
    for f in patch.files:
        lines = out.setdefault(f.target_path or f.path, [])
        for h in f.hunks:
            off = offsets.get((f.path, h.header), 0)
            lines.extend(ln.target_no + off for ln in h.lines if ln.kind.value == "+" and ln.target_no is not None)
    return {path: sorted(lines) for path, lines in out.items()}


def _touched(added: dict[str, list[int]], d: Definition) -> bool:
    """Whether the patch's hunks change lines inside the definition (``added``: _added's)."""
    lines = added.get(d.path, [])
    i = bisect_left(lines, d.line)
    return i < len(lines) and lines[i] <= d.line + d.text.count("\n")


_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
_NOT_CALLS = frozenset("if while for switch return sizeof typeof __typeof__ defined __attribute__ asm __asm__ "
                       "volatile __volatile__ do else case".split())


@lru_cache(maxsize=1)
def _modelled() -> frozenset[str]:
    """What the mirror has without the variant's code: its primitives, the prelude's macros, the SEAMCALLs."""
    return PRIMITIVE_NAMES | {name for name, _, _ in macro_lines()} | SEAM_FUNCTIONS | _NOT_CALLS


@lru_cache(maxsize=4096)
def _calls_of(d: Definition) -> frozenset[str]:
    """The names a definition calls, but its own parameters and itself (string literals left out)."""
    params = {n for _, n in _params(d) or ()}
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', d.text)
    return frozenset(_CALL.findall(text)) - params - {d.name}


def _complete(table: dict[str, list[Definition]], sources: tuple[Source, ...], entry: str) -> bool:
    """Whether everything an entry calls is defined, or modelled by the mirror (a static guess, to decide
    whether the usual entries can run at all)."""
    modelled = _modelled()
    return all(not (_calls_of(table[name][0]) - modelled - table.keys()) for name in reachable(sources, entry))


def _changed(before: Variant, after: Variant, patch: Patch, matrix: Matrix, feeds: dict[str, str]
             ) -> Iterable[Definition]:
    sources = variant_sources(after)
    table = definitions(sources)
    provided = [e.name for e in matrix.entries if e.name in table]
    if any(_complete(table, sources, e) for e in provided):
        return  # the usual entries run here: the changed code is reached through them
    reached = set().union(*(reachable(sources, e) for e in provided)) if provided else set()
    added = _added(patch, hunk_offsets(patch.mail.msgid, after))
    for name, ds in table.items():
        d = ds[0]
        # A changed function with no parameter that reaches no SEAMCALL (a module's init or exit) does the
        # same in every scenario: the matrix has nothing to vary for it, so it is not made an entry point.
        if d.kind is Kind.FUNCTION and name not in reached and _touched(added, d) and feeds_for(d, feeds):
            yield d


def _patch_pairs(variants: tuple[Variant, ...], series: Series) -> Iterable[tuple[Variant, Variant, Patch]]:
    for a, b in itertools.pairwise(prefix_states(variants)):
        rev = series.revision(b.revision or 0)
        patch = rev.patch(b.prefix or 0) if rev else None
        if a.revision == b.revision and patch is not None:
            yield a, b, patch


def _named(variants: tuple[Variant, ...], name: str) -> Variant | None:
    return next((v for v in variants if v.name == name), None) or state_alias(variants, name)


def _all_renames(variants: tuple[Variant, ...], series: Series) -> list[Rename]:
    """Every rename a patch, a revision or a reviewer variant's own diffs show (harness.renames)."""
    found = [patch_renames(p, a, b) for a, b, p in _patch_pairs(variants, series)]
    # Against the revision before: every state of a revision (a revision's variants all have a prefix, its last
    # patch's number for the whole of it; 'prefix is None' was no revision's, and none was asked).
    found += [revision_renames(series, v) for v in variants if v.revision is not None and v.start is None]
    # A reviewer variant's own diffs against its start, when that is evaluated too.
    found += [proposal_renames(start, v) for v in variants
              if v.proposed and v.start is not None and (start := _named(variants, v.start)) is not None]
    return [r for renames in found for r in renames.found]


def _renamed(matrix: Matrix, renames: list[Rename]) -> dict[str, Entry]:
    """The matrix's entry points that a patch or a revision renames (harness.renames), under their new names:
    each is run as the matrix runs the old one (its units and arguments), so that it can be compared with it."""
    own = {e.name: e for e in matrix.entries}
    return {r.new: Entry(r.new, own[r.old].units, own[r.old].args, EntryKind.RENAMED, r.new_where,
                        own[r.old].leaves)
            for r in renames if r.old in own and r.new not in own}


def _old_selves(found: dict[str, tuple[Definition, EntryKind]], renames: list[Rename], variants: tuple[Variant, ...],
                feeds: dict[str, str]) -> dict[str, tuple[Definition, Definition]]:
    """Old name -> (its definition, the new one) of each changed function a rename shows (a patch that moves
    and renames a helper changes the new name's lines): the old name is run too, in the new one's units and with
    the same arguments, so that the comparison can pair the two (harness.renamepair) rather than call the new
    name new. None when the two take other parameters: the scenarios would not be twins."""
    out: dict[str, tuple[Definition, Definition]] = {}
    for r in renames:
        new = found.get(r.new)
        if new is None or new[1] is not EntryKind.CHANGED or r.old in found or r.old in out:
            continue
        old = next((d for v in variants for d in definitions(variant_sources(v)).get(r.old, ())
                    if d.where == r.old_where and d.kind is Kind.FUNCTION), None)
        if old is not None and feeds_for(old, feeds) == feeds_for(new[0], feeds):
            out[r.old] = (old, new[0])
    return out


def discover_entries(matrix: Matrix, variants: tuple[Variant, ...], series: Series,
                     mentioning: Callable[[Variant, str], list[str] | None] | None = None) -> Matrix:
    """The matrix with the entry points the variants' code offers besides its own (see the module doc);
    ``mentioning``, with a tree, the files of a variant's base commit naming a word (harness.treenames)."""
    feeds = {**DEFAULT_FEEDS, **dict(matrix.params)}
    found: dict[str, tuple[Definition, EntryKind]] = {}
    # A wrapper a patch moves from one .c file into another runs in each file's unit, as each state has it (found
    # in the first alone, its runs after the move were none: "gone", its move a change of behaviour).
    also: dict[str, list[Definition]] = {}
    seen: set[tuple[Source, ...]] = set()
    for v in variants:
        sources = variant_sources(v)
        if sources in seen:
            continue
        seen.add(sources)
        for d in _seam_wrappers(sources, matrix, feeds):
            first = found.setdefault(d.name, (d, EntryKind.DISCOVERED))[0]
            # Only where the first home's unit cannot call it there (static): one it can runs from there as before.
            if first.path.endswith(".c") and private_elsewhere(sources, d.name, first.path) is not None and \
                    all(x.path != d.path for x in also.get(d.name, [])):
                also.setdefault(d.name, []).append(d)
    for before, after, patch in _patch_pairs(variants, series):
        for d in _changed(before, after, patch, matrix, feeds):
            found.setdefault(d.name, (d, EntryKind.CHANGED))
    renames = _all_renames(variants, series)
    renamed = _renamed(matrix, renames)
    olds = _old_selves(found, renames, variants, feeds)
    found.update({name: (d, EntryKind.CHANGED) for name, (d, _) in olds.items()})
    entries: list[Entry] = list(renamed.values())
    units: dict[str, Unit] = {}
    homes, held = header_homes(matrix, variants), held_units(matrix, variants)
    homes = new_header_homes(variants) if homes is None else homes
    for name, (d, kind) in sorted(x for x in found.items() if x[0] not in renamed):
        home = olds[name][1] if name in olds else d  # an old self runs where its new name does
        placed = _placed(home, matrix, units, homes, held)
        for other in also.get(name, []) if name not in olds else []:
            more = _units_for(other, matrix)
            placed += (_unit_at(units, matrix, more).name,) if isinstance(more, Unit) else more
        args = feeds_for(d, feeds, outs=kind is EntryKind.DISCOVERED)
        assert args is not None  # only drivable definitions were kept
        entries.append(Entry(name, placed, args, kind, d.where))
    out = matrix.with_entries(entries, list(units.values())) if entries else matrix
    # A header no unit includes: no build compiles its code, said not run (harness.norun), never a pass from runs
    # in units that do not see it.
    headers = {d.path for d, _ in found.values() if d.path.endswith(".h")}
    nowhere = unincluded(headers | _own_homes([*matrix.entries, *renamed.values()], variants), variants, mentioning)
    return replace(out, unincluded=tuple(sorted(nowhere.items()))) if nowhere else out


def _own_homes(entries: list[Entry], variants: tuple[Variant, ...]) -> set[str]:
    """The headers where a state defines one of the matrix's own entry points (its first definition, the one
    harness.norun reads): one no unit includes is no more built than a found one's (before, they ran there)."""
    out: set[str] = set()
    for v in variants:
        table = definitions(variant_sources(v))
        out.update(d.path for e in entries for d in table.get(e.name, ())[:1] if d.path.endswith(".h"))
    return out
