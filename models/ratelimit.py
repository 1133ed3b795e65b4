"""Rate-limit states (include/linux/ratelimit.h, lib/ratelimit.c) in a run that takes no time, and HZ, not known."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from models.errors import UnsupportedConstruct

if TYPE_CHECKING:  # the prelude's types come from here, which a filled-cache eval reads without the machine
    from models.machine import Machine, StructObj

HZ_CALL = "__sh_hz"  # HZ: CONFIG_HZ's value, which the mirror does not know
INTERVAL_CALL = "__sh_rl_interval"  # a state's interval: the shortest it lasts under any CONFIG_HZ
# arch/x86's CONFIG_HZ choices (kernel/Kconfig.hz): an interval is read under each of them.
HZ_VALUES = (100, 250, 300, 1000)
JIFFY_NS = 10_000_000  # the longest jiffy (HZ=100): how early an interval counted in jiffies may end
RATELIMIT_INTERVAL_NS = 5_000_000_000  # include/linux/ratelimit_types.h: DEFAULT_RATELIMIT_INTERVAL, 5 * HZ
THIS_CPU_RATELIMIT = "printk_ratelimit"  # its Machine.once key: not a call site (those are FILE:LINE:COL)
PRINTK_RATELIMIT_BURST = 10  # kernel/printk/printk.c: printk_ratelimit_state's DEFAULT_RATELIMIT_BURST

# The state's members the code may read are the kernel's (burst, flags); the others are the model's (lib/ratelimit.c
# keeps printed/missed counts, or, since v6.16, a count of what is left and atomics: their names changed, and a read
# of them is refused as a member gcc would not find). The interval is kept as the shortest time it lasts under any
# CONFIG_HZ, in ns (0: never limit); gcc's build keeps its sign (models/native/sh_native.h), which is all it uses.
TYPES = """\
struct ratelimit_state {
	long long __sh_interval_ns;
	int burst;
	int __sh_printed;
	int __sh_missed;
	unsigned int flags;
	long long __sh_begin_ns;
};
"""

MACROS: tuple[tuple[str, str], ...] = (
    ("HZ", f"{HZ_CALL}()"),
    # include/linux/ratelimit_types.h
    ("DEFAULT_RATELIMIT_INTERVAL", "(5 * HZ)"),
    ("DEFAULT_RATELIMIT_BURST", "10"),
    ("RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, flags_init)",
     f"{{ .__sh_interval_ns = {INTERVAL_CALL}(interval_init), .burst = (burst_init), .flags = (flags_init) }}"),
    ("RATELIMIT_STATE_INIT(name, interval_init, burst_init)",
     "RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, 0)"),
    ("RATELIMIT_STATE_INIT_DISABLED", "RATELIMIT_STATE_INIT(ratelimit_state, 0, DEFAULT_RATELIMIT_BURST)"),
    ("DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)",
     "struct ratelimit_state name = RATELIMIT_STATE_INIT(name, interval_init, burst_init)"),
    # include/linux/ratelimit_types.h: __ratelimit(state) is ___ratelimit(state, __func__)
    ("__ratelimit(state)", "___ratelimit(state, __func__)"),
    # include/linux/ratelimit.h: a function of (rs, int interval, int burst), so the arguments first; the state
    # cleared, then set (its lock's initialisation is nothing a run sees)
    ("ratelimit_state_init(rs, interval_init, burst_init)",
     f"({{ struct ratelimit_state *__sh_rsp = (rs); long long __sh_rsi = {INTERVAL_CALL}((int)(interval_init)); "
     "int __sh_rsb = (burst_init); memset(__sh_rsp, 0, sizeof(*__sh_rsp)); __sh_rsp->__sh_interval_ns = __sh_rsi; "
     "__sh_rsp->burst = __sh_rsb; (void)0; })"),
)

# include/linux/dev_printk.h dev_level_ratelimited(): a state of the call site's own, DEFAULT_RATELIMIT_INTERVAL and
# DEFAULT_RATELIMIT_BURST, then dev_<level>() where __ratelimit() lets it (the arguments only there).
# dev_dbg_ratelimited() is left out: with DEBUG or dynamic debug it prints, which the mirror does not model.
DEV_RATELIMITED: tuple[tuple[str, str], ...] = (
    ("dev_level_ratelimited(dev_level, dev, fmt, ...)",
     "do { static DEFINE_RATELIMIT_STATE(_rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST); "
     "if (__ratelimit(&_rs)) dev_level(dev, fmt, ##__VA_ARGS__); } while (0)"),
    *((f"dev_{level}_ratelimited(dev, fmt, ...)", f"dev_level_ratelimited(dev_{level}, dev, fmt, ##__VA_ARGS__)")
      for level in ("emerg", "alert", "crit", "err", "warn", "notice", "info")),
)

_hz: list[int] = []  # the CONFIG_HZ an interval is being read under (interval_sign())


def reading_interval() -> bool:
    """Whether a state's interval is being read (interval_sign()): HZ has a value there."""
    return bool(_hz)


def hz_value(where: str) -> int:
    """HZ inside a state's interval (interval_sign()); anywhere else its value is CONFIG_HZ's: refused."""
    if not _hz:
        raise UnsupportedConstruct(where, "HZ is CONFIG_HZ's value (100 to 1000 on x86), which the mirror does not "
                                          "know (a rate-limit state's interval is read under each)")
    return _hz[-1]


@contextmanager
def _under(hz: int) -> Iterator[None]:
    _hz.append(hz)
    try:
        yield
    finally:
        _hz.pop()


def interval_ns(value: Callable[[], int], where: str) -> int:
    """A state's interval (``value()`` evaluates it, in jiffies) as the shortest time it lasts under any CONFIG_HZ,
    in ns: 0 never limits. One that is 0 under some CONFIG_HZ and not others, or negative (v6.16 warns of an
    uninitialized state, earlier kernels limit nothing), is refused."""
    seen = {}
    for hz in HZ_VALUES:
        with _under(hz):
            seen[hz] = value()
    if any(v < 0 for v in seen.values()):
        raise UnsupportedConstruct(where, f"a rate-limit interval of {min(seen.values())} jiffies: what a negative "
                                          "one does depends on the kernel's version (lib/ratelimit.c)")
    if len({v == 0 for v in seen.values()}) > 1:
        said = ", ".join(f"{v} with HZ={hz}" for hz, v in seen.items())
        raise UnsupportedConstruct(where, f"a rate-limit interval that is 0 jiffies with some CONFIG_HZ and not with "
                                          f"others ({said}): whether it limits is not known")
    return min(v * 1_000_000_000 // hz for hz, v in seen.items())


def ratelimit(m: Machine, args: list[Any], where: str) -> int:
    """___ratelimit(state, func) of lib/ratelimit.c: 1 for the first ``burst`` calls on the state, then 0 (a miss
    counted), every call 1 where the interval is 0. No jiffies pass in a run: the interval never ends, so the
    "callbacks suppressed" message it prints when it does never comes; a state consulted again after busy-waits
    (udelay(), mdelay()) since its first call long enough to end the interval (up to a jiffy early) is refused. Its
    lock is never contended (one task), and it changes no preemption or IRQ state a run sees."""
    from models.machine import StructObj

    rs = args[0]
    if not isinstance(rs, StructObj) or not _ints(rs, "__sh_interval_ns", "burst", "__sh_printed", "__sh_begin_ns"):
        raise UnsupportedConstruct(where, "__ratelimit() of a state whose members are not all set (neither "
                                          "DEFINE_RATELIMIT_STATE(), RATELIMIT_STATE_INIT() nor ratelimit_state_init() "
                                          "set it)")
    if rs["__sh_interval_ns"] == 0:
        return 1
    if rs["burst"] < 0:
        raise UnsupportedConstruct(where, f"__ratelimit() of a state with a negative burst ({rs['burst']}): v6.16 "
                                          "warns of an uninitialized state, earlier kernels do not")
    if rs["__sh_begin_ns"] == 0:
        rs["__sh_begin_ns"] = m.delayed_ns + 1
    elif m.delayed_ns + 1 - rs["__sh_begin_ns"] >= rs["__sh_interval_ns"] - JIFFY_NS:
        raise UnsupportedConstruct(where, f"__ratelimit() again after {m.delayed_ns + 1 - rs['__sh_begin_ns']} ns of "
                                          "udelay()/mdelay() since its interval began, which may have ended its "
                                          f"{rs['__sh_interval_ns'] // 1_000_000} ms: time is not modelled")
    if rs["burst"] > rs["__sh_printed"]:
        rs["__sh_printed"] += 1
        return 1
    if isinstance(rs.get("__sh_missed"), int):
        rs["__sh_missed"] += 1
    return 0


def _ints(rs: StructObj, *names: str) -> bool:
    return all(isinstance(rs.get(n), int) for n in names)


def no_time_passed(m: Machine, what: str, interval_ns: int, where: str) -> None:
    """A rate limit reads the clock: a run takes no time, unless udelay() and friends busy-waited long enough to
    end its interval (counted in jiffies, so up to one early): refused then, whatever the limit would do."""
    if m.delayed_ns >= interval_ns - JIFFY_NS:
        raise UnsupportedConstruct(where, f"{what} after {m.delayed_ns} ns of udelay()/mdelay(), which may end its "
                                          f"{interval_ns // 1_000_000} ms interval: time is not modelled")


def printk_ratelimit(m: Machine, args: list[Any], where: str) -> int:
    """printk_ratelimit() (kernel/printk/printk.c __printk_ratelimit()): ___ratelimit() of the kernel's one
    printk_ratelimit_state (5 s, 10), which models.locking.this_cpu_check()'s reports consult too: 1 for the first
    10 of a run, then 0, the interval never ending in a run that takes no time. Taken as not consulted by other
    kernel code in the 5 s before the run (docs/mirror.md)."""
    count = m.once.get(THIS_CPU_RATELIMIT, 0)
    if count:
        no_time_passed(m, "printk_ratelimit() again", RATELIMIT_INTERVAL_NS, where)
    if count >= PRINTK_RATELIMIT_BURST:
        return 0
    m.once[THIS_CPU_RATELIMIT] = count + 1
    return 1
