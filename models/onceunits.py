"""The static behind a header's pr_*_once(), WARN_ONCE() or ratelimit (one per unit); WARN_ON_ONCE()'s copies."""

from __future__ import annotations

from models.errors import ENTRY_SITE, UnsupportedConstruct
from models.machine import Machine
from models.prfmt_site import PER_FILE_PR_FMT, _table

# In a state's name (models.mirror.once_state), what marks the static of a header's site in a unit other than the
# first the run reached it from: the native cross-check's one program holds one copy of each header function, so
# one static per site, and does not compare such a run (harness.crosscheck).
UNIT_COPY = " in the unit of "
# What marks the flag of an __always_inline function's copy other than the first that warned (warned_before)
INLINED_COPY = " inlined at "


def once_key(m: Machine, site: str) -> str:
    """The key of the once or ratelimit static of call site ``site`` (``path:line:column``) in ``m.once``. A .c
    file's site has one static. A header's `static inline` function is compiled into each .c file that includes
    it, each copy with statics of its own: the site's static is that of the translation unit the code runs in
    (Machine.unit, "" the run's own). The first unit that reaches the site has the site's own key, so that a run
    reaching it from one unit, as most do, names it as before; another unit has a key and a name of its own."""
    if site.rpartition(":")[0].rpartition(":")[0].endswith(".c"):
        return site
    unit = _copy(m, site, site.rpartition(":")[0], "the static behind this call")
    if unit is None:
        return site
    key = f"{unit}>{site}"
    if key not in m.once_sites:  # a copy for this run alone: the compiler's table is shared by every run
        m.once_sites = {**m.once_sites, key: f"{m.once_sites.get(site, '?')}{UNIT_COPY}{unit or _run_unit(m.pr_fmt)}"}
    return key


def in_header(where: str) -> bool:
    """Whether code at ``where`` (``path:line``) is a header's, compiled into each unit that includes it."""
    return not where.rpartition(":")[0].endswith(".c")


def static_slot(m: Machine, slot: str, where: str, name: str) -> tuple[str, str]:
    """The slot of a header function's static local declared at ``where`` (``path:line``), whose slot in the
    program is ``slot``, in the unit the code runs in, and what its name adds ("" in the first unit to reach it,
    else UNIT_COPY and the unit): C11 6.2.2p3, 6.2.4p3, each translation unit's copy of the `static inline`
    function has a static object of its own. Raises UnsupportedConstruct as once_key does."""
    unit = _copy(m, slot, where, f"the static '{name}'")
    if unit is None:
        return slot, ""
    return f"{unit}>{slot}", f"{UNIT_COPY}{unit or _run_unit(m.pr_fmt)}"


def _copy(m: Machine, site: str, where: str, what: str) -> str | None:
    """None where the running unit is the first to reach header site ``site``, else the running unit."""
    unit = _unit(m)
    first = m.once_units.setdefault(site, unit)
    if first == unit:
        return None
    if "" in (first, unit) and not _run_unit(m.pr_fmt):
        raise UnsupportedConstruct(where, f"{what} is one per translation unit; the run reached "
                                          f"it from {first or unit} and from the entry point's own unit, which may be "
                                          "the same one: not known")
    return unit


def _unit(m: Machine) -> str:
    """The .c file whose unit the running code is in, "" for the run's own (the entry point's, the one pr_fmt's
    table names, when it names one)."""
    unit = m.unit
    return "" if unit and unit == _run_unit(m.pr_fmt) else unit


def _run_unit(pr_fmt: str) -> str:
    """The .c file of the run's own unit, where the per-file pr_fmt table names it, else ""."""
    return str(_table(pr_fmt).get("unit_path") or "") if pr_fmt.startswith(PER_FILE_PR_FMT) else ""


def running_unit(m: Machine) -> str:
    """The .c file whose translation unit the running code is in: the innermost running function's, else the run's
    own where the per-file pr_fmt table names it, else "" (the scenario's unit, which the harness knows)."""
    return m.unit or _run_unit(m.pr_fmt)


def warned_before(m: Machine, key: str, where: str) -> bool:
    """Whether a WARN_ON_ONCE() (a lockdep_assert_*() of one) at ``where``, whose once key is ``key``, stays silent
    now. x86 builds it on __WARN_FLAGS(BUGFLAG_ONCE): the flag is in the bug_entry of its ud2 (lib/bug.c
    report_bug()), one per copy of the code gcc emits, so an inline function's warns once per place gcc inlined it,
    not once per C static. Silent when it warned before in the same copy (_warn_copy()); raises
    UnsupportedConstruct when it warned before in another gcc may have emitted: whether it did is its inliner's."""
    if not m.once.get(key):
        return False
    first, now = m.once_copies.get(key), _warn_copy(m, where)
    copies = [tuple(c.split(_SEP)) for c in m.once_copies.get(key + _ALL, ())]
    if first is None or first == now or now in copies:
        return True
    if _forced(now) and all(_forced(c) and _forced(c) != _forced(now) for c in copies or [first]):
        # __always_inline functions inlined at another place: a copy of its own, its own flag, a state of its own
        # (the crosscheck's native build keeps one C static per site: harness.crosscheck does not compare the run)
        copy = f"{key}{INLINED_COPY}{'>'.join(_forced(now))}"
        m.once[copy] = 1
        m.once_sites = {**m.once_sites, copy: f"{m.once_sites.get(key, '?')}{INLINED_COPY}{_line(now[-1][1:])}"}
        return False
    running = zip(reversed(m.functions), reversed(m.sites), strict=True)
    calls = ", ".join(f"{f}() called at {_line(s)}" for f, s in running if not s.startswith(ENTRY_SITE))
    raise UnsupportedConstruct(where, f"WARN_ON_ONCE() true again, here through other calls than when it warned "
                                      f"({calls}): x86 keeps its once flag per copy of the code gcc emits (the "
                                      "bug_entry of each __WARN_FLAGS()), and whether gcc inlined the functions "
                                      "between into another copy is its own choice: whether it warns again is not "
                                      "known")


def mark_warned(m: Machine, key: str, where: str) -> None:
    """A WARN_ON_ONCE() at ``where`` whose once key is ``key`` warned, in the copy the calls now running reach
    (warned_before)."""
    m.once[key] = 1
    now = _warn_copy(m, where)
    m.once_copies.setdefault(key, now)
    m.once_copies[key + _ALL] = (*m.once_copies.get(key + _ALL, ()), _SEP.join(now))


# Under the key with _ALL appended, every copy that warned (its call sites joined by _SEP): an __always_inline
# function's code has one copy per place it is inlined at, each warning once (warned_before)
_ALL, _SEP = "\0copies", "\x1f"


def _line(site: str) -> str:
    """``path:line`` of a call site's ``path:line:column``."""
    return site.rpartition(":")[0]


def _file(where: str) -> str:
    """``path`` of ``path:line`` or ``path:line:column``."""
    parts = where.split(":")
    while len(parts) > 1 and parts[-1].isdigit():
        parts.pop()
    return ":".join(parts)


def _warn_copy(m: Machine, where: str) -> tuple[str, ...]:
    """The copy of the code at ``where`` that the calls running reach, as the calls that may have been inlined into
    it: the call sites from the innermost function gcc cannot have inlined into its caller (one defined in another
    .c file than the unit its caller runs in: no such copy there; one declared noinline: gcc emits it once, every
    caller calls that copy), else from the entry point's."""
    sites = m.sites
    files = [*(_file(s) for s in sites[1:]), _file(where)]  # the file of each running function's code
    unit, cut = "", 0
    for i, f in enumerate(files):
        if f.endswith(".c"):
            if unit and f != unit:
                cut = i + 1
            unit = f
        if m.functions[i] in m.one_copy:
            cut = i + 1
    # a call of an __always_inline function marked: gcc puts a copy of its code at that place, whatever else it does
    return tuple(FORCED + s if m.functions[i] in m.inlined else s for i, s in enumerate(sites) if i >= cut)


FORCED = "!"


def _forced(copy: tuple[str, ...]) -> tuple[str, ...]:
    """The calls at the end of a copy (_warn_copy) that each inline an __always_inline function: where gcc must
    put the code; two copies whose chains of them differ are two places of the code, each with its own flag."""
    i = len(copy)
    while i and copy[i - 1].startswith(FORCED):
        i -= 1
    return copy[i:]
