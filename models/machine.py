"""Observable state of one run: SEAMCALL records, log lines, events, preemption, IRQs, per-CPU variables."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import compress
from typing import TYPE_CHECKING, Any, NamedTuple

from models.capped import MAX_RECORDS, Record
from models.ctype import Struct
from models.errors import BudgetExceeded, StepsUnknown, UnsupportedConstruct
from models.machinestate import PercpuOnceState
from models.record import record
from models.seamregs import loaded_values

if TYPE_CHECKING:
    from models.ctype import CType

SEAMLDR_BIT = 1 << 63
_dict_init = dict.__init__


# The steps a run may take past its budget while models.loopcycle looks for a loop's state seen twice: a loop a little
# longer than the budget ends within them.
EXTRA_STEPS = 20_000


# Each outermost loop may take the budget (models.loopcycle.entered), the run RUN_BUDGETS budgets in all: time bounded.
RUN_BUDGETS = 4


def run_past(m: Machine) -> str:
    """What unknown_end() adds where the run's own bound was reached, not the loop's."""
    return f" (the run past {m.limit:,} steps in all, its bound)" if m.limit == m.budget * RUN_BUDGETS else ""


def unknown_end(budget: int, why: str) -> str:
    """What a run stopped past the step budget, its loop not known to end or not (StepsUnknown), says."""
    return f"loop still running after a budget of {budget} steps, {why}: whether it ends is not known (not modelled)"


class OutOfTime(BudgetExceeded):
    """The run's wall-clock deadline passed (its code group's time budget, set by the caller)."""


class OutOfSteps(OutOfTime):
    """The run took the steps its code group had left (its step budget, set by the caller): where it stops is the
    same on an idle host and a loaded one, as the wall-clock deadline's is not."""


@record
class Answer:
    """One scripted answer: the status code in RAX and registers written into the args struct."""

    code: int
    regs: tuple[tuple[str, int], ...] = ()


# Where a log line came from: the format its text follows (after pr_fmt; a struct va_format's format in place of a
# %pV: models.printk.line_format), the call's "path:line", and whether a %pV put such a format in (its conversions
# then read none of the call's arguments).
LineSource = tuple[bytes, str, bool]

# Records are NamedTuples, not dataclasses: a large matrix makes, compares and hashes millions of them, and
# a tuple does that in C. Immutable all the same.
class SeamCall(NamedTuple):
    """One call into the SEAM world as the responder saw it."""

    function: str
    leaf: int
    component: str
    returned: int
    preempt_count: int
    irqs_disabled: bool
    percpu: tuple[tuple[str, int], ...]
    where: str
    args: tuple[tuple[str, int], ...] = ()  # the registers passed in that are not zero, in struct order


class LogLine(NamedTuple):
    """One printk line: its level and exact text (prefix included)."""

    level: str
    text: str


class EventKind(StrEnum):
    """What an event records (the ``kind`` of every Event the mirror makes; rules name them in ``no_events``)."""

    PREEMPT = "preempt"  # preempt_disable()/preempt_enable(): the count after it
    IRQ = "irq"  # local_irq_*(): disabled, enabled, saved, restored
    LOCK = "lock"  # a lock acquired or released
    RCU = "rcu"  # rcu_read_lock()/rcu_read_unlock(): the depth after it
    MIGRATE = "migrate"  # migrate_disable()/migrate_enable(): the depth after it
    PERCPU_WRITE = "percpu-write"  # this_cpu_write() and friends, a store seen (models.percpuwatch): name, value
    WARNING = "warning"  # WARN*() that fired
    VIOLATION = "violation"  # a lockdep assertion that fails, an unbalanced unlock or enable


EVENT_KINDS = frozenset(k.value for k in EventKind)
# What the kernel reports with printk lines of its own (a WARN()'s "WARNING: ... at FILE:LINE", lockdep's report,
# "BUG: sleeping function called from invalid context"): each finalizes a record left open (no newline).
CLOSING_KINDS = frozenset({EventKind.WARNING.value, EventKind.VIOLATION.value})


class Event(NamedTuple):
    """A side effect worth comparing: preempt/IRQ changes, per-CPU writes, warnings, locks, violations."""

    kind: str
    detail: str
    where: str


class StructObj(dict[str, Any]):
    """A struct value; pointers to it are the object itself."""

    # A union's bytes as its members see them (models.unions): (little-endian value, a bit per byte known, a bit
    # per byte holding what is not modelled, why); None until a member is written. ``union_seen``: the bytes of
    # each struct or array member as last spread, to tell which one changed in place since.
    union_bytes: tuple[int, int, int, str] | None = None
    union_seen: dict[str, tuple[int, int, int, str]] | None = None
    # What its padding bytes hold, seen only where the struct's bytes are (a union member): None, those it had
    # (a member stored in place); "unspecified" after a struct assignment, which copies them (C11 6.2.6.1p6);
    # "zero" after memset() with 0, "fill:XX" with another byte (models.unions.write_span keeps one byte or none).
    padding: str | None = None
    # A union's members a pointer to a struct or array inside them was taken of (models.unions.escape): writes
    # through it do not pass by the union, so which of two members changed last is then not known.
    union_escaped: frozenset[str] = frozenset()

    # The struct holding this one as a member, and the member's name: what container_of() gives back. Set when
    # the outer object is made; whoever reads it checks that the member still is this object.
    container: tuple[StructObj, str] | None = None
    # The array this struct is an element of, its index and the array's label, where ``&a[i]`` took its address:
    # ``p + 1``, ``p[1]`` step from there (models.ptrarith); whoever reads it checks it still is that element.
    element_of: tuple[list[Any], int, str] | None = None

    def __init__(self, ctype: CType, values: dict[str, Any]) -> None:
        _dict_init(self, values)  # not super().__init__: a super object made for each struct a run makes
        self.ctype = ctype
        self.adopt()

    def adopt(self) -> None:
        """Link each struct member to this object (``container``), after the members were set."""
        for name in _struct_members(self.ctype):
            inner = self.get(name)
            if isinstance(inner, StructObj):
                inner.container = (self, name)


_STRUCT_MEMBERS: dict[int, tuple[CType, tuple[str, ...]]] = {}


def _struct_members(t: CType) -> tuple[str, ...]:
    """The members of a struct type that are structs themselves (not pointers to one), worked out once a type."""
    entry = _STRUCT_MEMBERS.get(id(t))
    if entry is None or entry[0] is not t:
        names = tuple(n for n, ft in getattr(t, "fields", ()) if isinstance(ft, Struct))
        entry = _STRUCT_MEMBERS[id(t)] = (t, names)
    return entry[1]


class Ref:
    """A pointer to a scalar object: how to read and write it, and what it names; for a member (``&s.m``) the struct
    object and the member's name too, which models.ptrequal compares."""

    __slots__ = ("ctype", "get", "key", "label", "owner", "place", "set")

    def __init__(self, get: Callable[[], Any], set: Callable[[Any], None], label: str, ctype: Any = None,
                 owner: object = None, key: object = None, place: tuple[StructObj, int] | None = None) -> None:
        self.get = get
        self.set = set
        self.label = label
        self.ctype = ctype  # the object's own type (models.ctype), when known: read through another (values.through)
        self.owner = owner
        self.key = key
        # an element of an array member (``&u.h[1]``): the struct or union holding the array, the element's offset in
        # it in bytes, which models.ptrequal compares with other addresses in that object
        self.place = place


@record
class FuncVal:
    """A function designator or function pointer value: ``name`` the program's (models.owncopies renames a file's own
    copy), ``symbol`` the one kallsyms gives it in the kernel: the C name of a function the code defines, "" for a
    kernel primitive (its symbol is the kernel's: a macro, or another name)."""

    name: str
    symbol: str = ""


@record
class StrVal:
    """A pointer to a string literal: its bytes as gcc encodes them (models.literals), without the NUL."""

    data: bytes


class HeapBlock:
    """Memory kmalloc() and its kin gave (models.heap): its size, whether zeroed, where it was allocated; once a
    pointer type takes it (models.values.heap_typed), that type and the object made of it (a struct, or a list of
    elements); freed by kfree() at ``freed`` ("" while live)."""

    __slots__ = ("elem", "freed", "obj", "size", "where", "zero")

    def __init__(self, size: int, zero: bool, where: str) -> None:
        self.size, self.zero, self.where = size, zero, where
        self.elem: Any = None
        self.obj: Any = None
        self.freed = ""


class ElemPtr:
    """A pointer to an element of an array: an array used as a value decays to one to its first element (C11
    6.3.2.1p3). The array's elements (the very list), which one, and the element type; ``label`` names the array in
    messages. Indexing it reads and writes the array, within its bounds (models.values.element). ``sync``, for an
    array inside a union's member (``u.b``, ``u.q.h``), takes the unions' bytes first (models.unions): another
    member may have changed in place since, and gcc reads the array's bytes as they now are."""

    __slots__ = ("ctype", "elems", "index", "label", "sync")

    def __init__(self, elems: list[Any], index: int, ctype: CType, label: str = "(array)",
                 sync: Callable[[], None] | None = None) -> None:
        self.elems = elems
        self.index = index
        self.ctype = ctype
        self.label = label
        self.sync = sync

    def moved(self, index: int) -> ElemPtr:
        """The pointer to element ``index`` of the same array (``p + 1``, ``&p[2]``), syncing as this one does."""
        return ElemPtr(self.elems, index, self.ctype, self.label, self.sync)

    def synced(self) -> list[Any]:
        """The array's elements, after the unions it lies in took their bytes (what is read or written next is
        what gcc's access sees)."""
        if self.sync is not None:
            self.sync()
        return self.elems


class UnsizedArray(list[Any]):
    """An array declared extern without a length (``extern u64 tbl[];``) and defined in no file the mirror has, as a
    value: an object, so its address is no NULL pointer (C11 6.3.2.1p3: ``tbl != NULL`` is 1) and two uses of it are
    one array (``slot``), but its elements and its length are not known: reading, writing, counting or walking them
    is refused at ``where`` (the use that named it), saying ``why``; ``label`` names it (an outcome's state)."""

    __slots__ = ("label", "slot", "where", "why")

    def __init__(self, slot: str, where: str, why: str, label: str) -> None:
        super().__init__()
        self.slot = slot
        self.where = where
        self.why = why
        self.label = label

    def _refused(self, *args: Any) -> Any:
        raise UnsupportedConstruct(self.where, self.why)

    __len__ = __getitem__ = __setitem__ = __delitem__ = __iter__ = __contains__ = __reversed__ = _refused


def as_element(p: Any) -> Any:
    """A struct ``&a[i]`` took the address of, as the pointer into its array it is (C11 6.5.3.2p3: ``&a[i]`` is
    ``a + i``) while it still is that element; any other value as it is."""
    if isinstance(p, StructObj) and p.element_of is not None:
        elems, i, label = p.element_of
        if i < len(elems) and elems[i] is p:
            return ElemPtr(elems, i, p.ctype, label)
    return p


def element_struct(p: Any) -> Any:
    """What a pointer to a struct element of an array (``sa + 1``, ``p++`` of ``p = sa``) points at: that struct
    object, remembering its array and index as ``&sa[1]`` does (as_element), for what takes a struct by its object
    (a SEAMCALL's args, a lock); any other value as it is."""
    if p.__class__ is ElemPtr and 0 <= p.index < len(p.elems) and isinstance(p.elems[p.index], StructObj):
        obj: StructObj = p.elems[p.index]
        obj.element_of = (p.elems, p.index, p.label)
        return obj
    return p


MAX_ERRNO = 4095


@record
class AddrPtr:
    """A pointer made from a non-zero integer (``ERR_PTR(-EIO)``, ``(void *)0x1000``): known, never dereferenced."""

    address: int

    @property
    def is_error(self) -> bool:
        """IS_ERR_VALUE() of include/linux/err.h: the top MAX_ERRNO addresses."""
        return self.address >= (1 << 64) - MAX_ERRNO


@dataclass(slots=True)  # one per run: slots are stored and read faster than an instance dict's keys
class Machine(PercpuOnceState):
    """The kernel and SEAM environment of one run; its per-CPU and once state are its base's (models.machinestate).

    Its containers are fields with ``init=False``: made fresh by __init__ without first asking whether each was
    given (one Machine per run, and 21 containers; only ``once_sites`` is passed in)."""

    script: tuple[Answer, ...]
    pr_fmt: str = ""
    budget: int = 100_000
    max_depth: int = 200
    seam_functions: frozenset[str] = frozenset({"__seamcall", "__seamcall_ret", "__seamcall_saved_ret"})
    preempt: int = 0
    irqs_disabled: bool = False
    cpu: int = 0  # smp_processor_id(): the per-CPU copies this_cpu_*() reach are this CPU's
    preempt_base: int = 0  # the count the run's context starts it at (models.runcontext): preempt_enable() stops there
    preempt_sites: list[tuple[str, str]] = field(default_factory=list, init=False)  # models.preemptleak
    features: tuple[tuple[str, bool], ...] = ()  # the CPU features the script gives: (X86_FEATURE_* name, has it)
    locks: dict[str, int] = field(default_factory=dict, init=False)
    # The lock objects a run has named, by id (the object kept, so that the id stays its own): (object, name);
    # models.locking.lock_name()
    lock_names: dict[int, tuple[Any, str]] = field(default_factory=dict, init=False)
    # Per lock name, its lockdep class as far as the run knows it: (struct tag, key), the key None where an init
    # function before the run chose it (models.lockdep.lock_class)
    lock_classes: dict[str, tuple[str | None, str | None]] = field(default_factory=dict, init=False)
    # Per lock name, whose translation unit its class is (models.lockdep.unit_mark): "" one of the whole kernel
    lock_units: dict[str, str] = field(default_factory=dict, init=False)
    # A header's mutex_init() key in a unit other than the first to reach its line in the run: its state name, the
    # locks it keyed (models.lockdep.key_copies)
    lock_key_copies: dict[str, list[str]] = field(default_factory=dict, init=False)
    # The file-scope lock paths (models.lockargs.file_lock_scopes), found at first use: whether each is a header's
    # static, one per unit
    lock_scopes: Callable[[], Mapping[str, bool]] = dict
    # Per declaration line of functions' statics, each one's slot and column (models.hooks.CompilerHooks.static_lines)
    static_lines: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # lockdep's held-lock stack and lock-order graph (models.lockdep.LockOrder), made at a run's first acquire
    lock_order: Any = None
    nesting: dict[str, int] = field(default_factory=dict, init=False)  # rcu_read_lock() / migrate_disable() depth
    one_copy: frozenset[str] = frozenset()  # C names of the noinline functions (onceunits._warn_copy)
    inlined: frozenset[str] = frozenset()  # and of the __always_inline ones
    once_sites: dict[str, str] = field(default_factory=dict)  # call site -> its static's name (Compiler's)
    delayed_ns: int = 0  # busy-waited by udelay() and friends: time a rate limit would see pass (models.locking)
    max_records: int = MAX_RECORDS
    deadline: float | None = None  # time.monotonic() value; None: no wall-clock limit
    # The steps the run may take (what its code group's step budget has left); 0: no limit. Checked with the clock,
    # every 64 steps: the run stops at the first multiple of 64 past it (step_cut()), the same on every host.
    stop: int = 0
    calls: Record[SeamCall] = field(init=False)  # made in __post_init__, with the run's cap
    log: Record[LogLine] = field(init=False)  # made in __post_init__, with the run's cap
    # 0, or 1 + the length of the last record when it had no final newline: pr_cont() continues it while the
    # two fit one record (models.printklog.add_log)
    log_open: int = 0
    # Per log line kept, the LineSource that printed it, None where not one call's alone (a pr_cont() continued it,
    # lib/vsprintf.c's own warning): not part of the outcome (models.printkstore.store).
    log_src: list[LineSource | None] = field(default_factory=list, init=False)
    events: Record[Event] = field(init=False)  # made in __post_init__, with the run's cap
    warned: set[str] = field(default_factory=set, init=False)
    # kmalloc()'s blocks by the id of the object a pointer type made of each (models.heap: what kfree() finds)
    heap: dict[int, HeapBlock] = field(default_factory=dict, init=False)
    globals: dict[str, Any] = field(default_factory=dict, init=False)  # file-scope and static variables, by slot
    # slot -> (the value when first touched, its type, its name): statetext.state_snapshot, mirror.changed_state
    initial: dict[str, tuple[Any, Any, str]] = field(default_factory=dict, init=False)
    flag_members: frozenset[str] = frozenset()  # members keeping saved flags (models.guardflags): shown as images
    steps: int = 0
    # The step past which the running loop is past its budget (models.loopcycle.entered: each outermost loop has a
    # budget of its own, the run RUN_BUDGETS in all); past it (``past``), the loop heads watched for a state seen before
    limit: int = 0
    loops: int = 0  # the loops running (models.loopcycle.entered)
    past: bool = False
    watch: Any = None
    # (depth, the call's name, arguments and state) of the calls still running of functions that call themselves,
    # near the depth limit (models.loopcycle.deep_call)
    recursion: list[tuple[int, object]] = field(default_factory=list, init=False)
    depth: int = 0
    # The .c files of the functions running, innermost last (models.statements.Compiler.invoke): a header's
    # code runs in the translation unit of the innermost one, with its pr_fmt (models.prfmt_site).
    units: list[str] = field(default_factory=list, init=False)
    # The C names of the functions running, and where each was called from (``file:line:column``: two calls on one
    # line are two places gcc may inline the function: models.onceunits), innermost last.
    functions: list[str] = field(default_factory=list, init=False)
    sites: list[str] = field(default_factory=list, init=False)
    result: tuple[Any, CType] | None = None
    read: int = 0  # answers looked at (answer()): a run depends on no others
    # "path:line" of every statement the run executed (models.statements.Compiler.stmt): what a claim of
    # "no behaviour change" about a changed line rests on (harness.reach.unrun_changes). Not part of the outcome.
    ran: set[str] = field(default_factory=set, init=False)
    # Counted as functions and primitives run, for unsequenced operands (models.sequencing): stores, outputs,
    # memory read; per unsequenced node being evaluated, what each operand's calls did (a node's key is there only
    # while it is: models.seqrun.counted() measures nothing when none is).
    seq_effects: int = 0
    seq_outputs: int = 0
    seq_reads: int = 0
    seq_memory: int = 0  # stores to memory the code can load (not the kernel's own state)
    # The C names of the functions run that store to a static of their own (models.sequencing.Flags.private), in
    # order, while an unsequenced node is checked: two runs of one are ordered against each other, of two are not.
    seq_counters: list[str] = field(default_factory=list, init=False)
    # The slots of the file-scope objects the functions run store to by name (models.sequencing.Flags.named), while
    # an unsequenced node is checked: a store to one is no store to another (C11 6.5p2).
    seq_named: list[str] = field(default_factory=list, init=False)
    seq_stack: dict[int, list[list[tuple[bool, bool, bool, bool, frozenset[str], frozenset[str]]]]] = \
        field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        cap = self.max_records
        self.calls, self.log, self.events = Record(cap), Record(cap), Record(cap)
        self.limit = self.budget

    @property
    def function(self) -> str:
        """The C name of the running function (``__func__`` there; "" outside any)."""
        return self.functions[-1] if self.functions else ""

    @property
    def unit(self) -> str:
        """The .c file whose translation unit the running code is in ("": the run's own unit)."""
        return self.units[-1] if self.units else ""

    def step(self, where: str) -> None:
        self.steps += 1
        if self.steps > self.limit:
            # A loop past the budget is not yet known to run for ever: models.loopcycle decides at its heads, and a
            # run still going EXTRA_STEPS later stops, its end not known
            self.past = True
            if self.steps > self.limit + EXTRA_STEPS:
                raise StepsUnknown(where, unknown_end(self.budget, f"and {EXTRA_STEPS} more, no state of the loop "
                                                                   f"watched seen twice{run_past(self)}"))
        # Every 64 steps: a clock read per step would cost more than the step.
        if not self.steps & 63:
            if 0 < self.stop < self.steps:
                raise OutOfSteps(where, f"stopped after {self.steps} steps: the code group's step budget ran out")
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise OutOfTime(where, f"stopped after {self.steps} steps: the code group's time budget ran out")

    def answer(self, n: int | None = None) -> Answer:
        """The answer to the next SEAMCALL (or the ``n``-th); ``read`` keeps how many answers a run has looked
        at, which is all of the script its behaviour can depend on."""
        n = self.calls.seen if n is None else n
        self.read = max(self.read, n + 1)
        if not self.script:
            return Answer(0)
        # Past the end of the script, the last answer repeats.
        return self.script[n] if n < len(self.script) else self.script[-1]

    def seamcall(self, function: str, leaf: int, args: Any, where: str,
                 regs: tuple[tuple[str, ...], tuple[Any, ...]] | None = None) -> int:
        """The answer's status code; ``regs``: loaded_values(function, args), when the caller has them already."""
        if self.percpu_watch is not None:  # before the answer's registers are written
            self.percpu_watch.flush(self, where)
        ans = self.answer()
        passed: tuple[tuple[str, int], ...] = ()
        if isinstance(args, StructObj):
            members, values = loaded_values(function, args) if regs is None else regs
            # The registers set: compress() keeps those whose value is true without a Python step per register.
            passed = tuple([(k, v) for k, v in compress(zip(members, values), values)  # noqa: B905 (one length)
                            if isinstance(v, int)])
        if isinstance(args, StructObj) and function != "__seamcall":
            for reg, value in ans.regs:
                if reg in args:
                    args[reg] = value
        self.percpu_listed()  # after the answer's registers: args may be a per-CPU object
        self.calls.append(SeamCall(  # fields in order: by keyword, making one took twice as long
            function, leaf, "P-SEAMLDR" if leaf & SEAMLDR_BIT else "TDX module", ans.code, self.preempt,
            self.irqs_disabled, tuple(sorted(self.percpu.items())), where, passed,
        ))
        return ans.code

    def event(self, kind: str, detail: str, where: str) -> None:
        # Kept a plain str (outcomes read back from the cache compare with fresh ones); one of EventKind.
        assert kind in EVENT_KINDS, kind
        if self.percpu_watch is not None:
            self.percpu_watch.flush(self, where)
        self.events.append(Event(kind, detail, where))
        if kind in CLOSING_KINDS:  # the kernel's report is printk records: they finalize one left open
            self.log_open = 0
