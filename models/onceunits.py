"""The static behind a header's pr_*_once(), WARN_ONCE() or ratelimit: one per translation unit, as the kernel has."""

from __future__ import annotations

from models.errors import UnsupportedConstruct
from models.machine import Machine
from models.prfmt_site import PER_FILE_PR_FMT, _table

# In a state's name (models.mirror.once_state), what marks the static of a header's site in a unit other than the
# first the run reached it from: the native cross-check's one program holds one copy of each header function, so
# one static per site, and does not compare such a run (harness.crosscheck).
UNIT_COPY = " in the unit of "


def once_key(m: Machine, site: str) -> str:
    """The key of the once or ratelimit static of call site ``site`` (``path:line:column``) in ``m.once``. A .c
    file's site has one static. A header's `static inline` function is compiled into each .c file that includes
    it, each copy with statics of its own: the site's static is that of the translation unit the code runs in
    (Machine.unit, "" the run's own). The first unit that reaches the site has the site's own key, so that a run
    reaching it from one unit, as most do, names it as before; another unit has a key and a name of its own."""
    if site.rpartition(":")[0].rpartition(":")[0].endswith(".c"):
        return site
    unit = _unit(m)
    first = m.once_units.setdefault(site, unit)
    if first == unit:
        return site
    if "" in (first, unit) and not _run_unit(m.pr_fmt):
        where = site.rpartition(":")[0]
        raise UnsupportedConstruct(where, f"the static behind this call is one per translation unit; the run reached "
                                          f"it from {first or unit} and from the entry point's own unit, which may be "
                                          "the same one: not known")
    key = f"{unit}>{site}"
    if key not in m.once_sites:  # a copy for this run alone: the compiler's table is shared by every run
        m.once_sites = {**m.once_sites, key: f"{m.once_sites.get(site, '?')}{UNIT_COPY}{unit or _run_unit(m.pr_fmt)}"}
    return key


def _unit(m: Machine) -> str:
    """The .c file whose unit the running code is in, "" for the run's own (the entry point's, the one pr_fmt's
    table names, when it names one)."""
    unit = m.unit
    return "" if unit and unit == _run_unit(m.pr_fmt) else unit


def _run_unit(pr_fmt: str) -> str:
    """The .c file of the run's own unit, where the per-file pr_fmt table names it, else ""."""
    return str(_table(pr_fmt).get("unit_path") or "") if pr_fmt.startswith(PER_FILE_PR_FMT) else ""
