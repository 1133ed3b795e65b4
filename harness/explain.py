"""Explaining differences between two outcomes: classes, and log lines token by token."""

from __future__ import annotations

import difflib
import re
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING

from harness.eventwords import TraceNote, first_change_text, kinds_text
from models.facts import PRINTK
from models.outcome import Limit, Outcome, OutcomeStatus
from models.outparams import is_out_label
from models.record import record

if TYPE_CHECKING:
    from harness.matrix import Scenario

_TOKEN = re.compile(r"0[xX][0-9a-fA-F]+|-?\d+|\w+|\s+|.")


class DiffClass(Enum):
    """What differs between two outcomes of one scenario."""

    PROVIDED = "provided"
    CALLS = "calls"
    RETURN = "return"
    ERRNO = "errno"
    LOG = "log"
    SIDE_EFFECTS = "side-effects"
    ERROR = "error"
    LIMIT = "limit"  # a run the time budget cut short: what it would have done is unknown


@record
class Difference:
    """How one scenario's outcome differs between the two sides of a comparison."""

    scenario: Scenario
    classes: tuple[DiffClass, ...]
    notes: tuple[str, ...]


def _strip_where(text: str | None) -> str | None:
    return re.sub(r"^[^:\s]+:\d+: ", "", text) if text else text


@lru_cache(maxsize=1 << 16)  # equal outcomes, one view (Outcome keeps its hash)
def call_view(o: Outcome) -> tuple[tuple[object, ...], ...]:
    """The SEAMCALLs recorded (with the registers passed in), then how many more were made (0 unless the
    record cap was reached)."""
    return (*((c.function, c.leaf, c.component, c.returned, c.args) for c in o.calls),
            ("unrecorded", o.unrecorded_calls))


def _printk_site(name: str) -> bool:
    """A call site's pr_err_once() / printk_ratelimited() state (``f::pr_err_once()#2``, models.mirror.once_state):
    it only decides whether that site's next message prints, so it is the log's, not a side effect."""
    site = name.rpartition("::")[2].partition("#")[0]
    return site.endswith("()") and site[:-2] in PRINTK


def log_state(o: Outcome) -> tuple[tuple[str, str], ...]:
    return tuple(x for x in o.state if _printk_site(x[0]))


def other_state(o: Outcome) -> tuple[tuple[str, str], ...]:
    return tuple(x for x in o.state if not _printk_site(x[0]))


@lru_cache(maxsize=1 << 16)  # equal outcomes, one view (Outcome keeps its hash)
def log_view(o: Outcome) -> tuple[tuple[str, object], ...]:
    """The log lines recorded, then how many more were printed, whether the last was left open (no newline),
    then the printk once/ratelimit state left."""
    return (*((x.level, x.text) for x in o.log), ("unrecorded", o.unrecorded_log), ("open", o.log_open),
            ("state", log_state(o)))


@lru_cache(maxsize=1 << 16)  # equal outcomes, one view (Outcome keeps its hash)
def effect_view(o: Outcome) -> tuple[tuple[object, ...], ...]:
    """Distinct machine states seen at SEAMCALLs, the events, and registers written back.

    The number of calls is the CALLS class's business; here only the states they saw count.
    """
    at_calls = tuple(sorted({("at SEAMCALL", c.preempt_count, c.irqs_disabled, c.percpu) for c in o.calls}))
    events = (*((e.kind, e.detail) for e in o.events), ("unrecorded events", o.unrecorded_events))
    return at_calls + events + (("regs", o.regs_out), ("state", other_state(o)))


def forget_views() -> None:
    """Drop the views kept per outcome (call_view, log_view, effect_view): only comparing and judging ask for them,
    and an eval's report is written after both, while they held 4 MB (the corpus: 3,000 outcomes)."""
    for view in (call_view, log_view, effect_view):
        view.cache_clear()


def _effects_differ(a: Outcome, b: Outcome) -> bool:
    ea, eb = effect_view(a), effect_view(b)
    if not a.calls or not b.calls:
        # With no SEAMCALL on one side there is no state at a SEAMCALL to compare.
        ea = tuple(x for x in ea if x[0] != "at SEAMCALL")
        eb = tuple(x for x in eb if x[0] != "at SEAMCALL")
    return ea != eb


def signature(o: Outcome) -> tuple[object, ...]:
    """What two outcomes must share to count as the same behaviour.

    Outcomes past a record cap compare on what was recorded plus the counts of the rest. A run the
    time budget cut short is equal only to itself (variants sharing its code share the object).
    """
    if o.status is OutcomeStatus.NOT_PROVIDED:
        return (o.status,)
    if not o.ran:
        return (o.status, "not run", id(o))
    return (o.status, _strip_where(o.error), call_view(o), o.ret, o.ret_type, o.errno, log_view(o), effect_view(o),
            o.limits)


def classify(a: Outcome, b: Outcome) -> tuple[DiffClass, ...]:
    """The classes in which two outcomes differ (source locations never count).

    A run the time budget cut short is never the same as another outcome: (LIMIT,).
    """
    if a is b:
        return ()  # identical code ran once: the very same outcome object
    if (a.status is OutcomeStatus.NOT_PROVIDED) != (b.status is OutcomeStatus.NOT_PROVIDED):
        return (DiffClass.PROVIDED,)
    if not a.ran or not b.ran:
        return (DiffClass.LIMIT,)
    out = []
    if (a.status, _strip_where(a.error)) != (b.status, _strip_where(b.error)):
        out.append(DiffClass.ERROR)
    if call_view(a) != call_view(b):
        out.append(DiffClass.CALLS)
    if (a.ret, a.ret_type) != (b.ret, b.ret_type):
        out.append(DiffClass.RETURN)
    if a.errno != b.errno:
        out.append(DiffClass.ERRNO)
    if log_view(a) != log_view(b):
        out.append(DiffClass.LOG)
    if _effects_differ(a, b):
        out.append(DiffClass.SIDE_EFFECTS)
    return tuple(out)


# A log token read as a number (numbers): compiled here, as re.fullmatch(str, ...) looked each up in re's cache again
# per call (some 2,600 instructions; 1,750 calls of a filled-cache eval of the corpus).
_HEX_0X = re.compile(r"0[xX][0-9a-fA-F]+")
_SIGNED = re.compile(r"-\d+")
_DECIMAL = re.compile(r"\d+")
_HEX = re.compile(r"[0-9a-fA-F]+")


_PREFIXED = ("hex with 0x", "hex with 0X")  # numbers()' words for a number printed with its prefix


def _digits(n: int, kind: str) -> str:
    """'hex with 0x, 2 digits': a leaf's form said as a reader counts it (was '4 chars', the 0x counted in)."""
    return f"{kind}, {n} digit{'s' * (n != 1)}"


def numbers(tok: str) -> list[tuple[int, str]]:
    """Every way a log token can be read as a number: a digit run may be decimal or bare hex."""
    if tok[:2].lower() == "0x" and _HEX_0X.fullmatch(tok):
        return [(int(tok, 16) & ((1 << 64) - 1), _digits(len(tok) - 2, f"hex with {tok[:2]}"))]  # %#llX: 0X
    if _SIGNED.fullmatch(tok):
        return [(int(tok) & ((1 << 64) - 1), "signed decimal")]
    out = []
    if _DECIMAL.fullmatch(tok):
        out.append((int(tok), "decimal"))
    if _HEX.fullmatch(tok):
        out.append((int(tok, 16), _digits(len(tok), "hex without 0x")))
    return out


def _pair(left: str, right: str) -> tuple[tuple[int, str], tuple[int, str]] | None:
    la, lb = numbers(left), numbers(right)
    for x in la:
        for y in lb:
            if x[0] == y[0]:
                return x, y
    return (la[0], lb[0]) if la and lb else None


def width_note(left: str, right: str) -> str:
    """Why one value is printed in two 0x lengths. Only two zero-padded fields two characters apart are
    ``%#0Nx`` against ``0x%0Nx`` (lib/vsprintf.c number(): with SPECIAL the 0x takes two of the field's
    width); a field that is not padded on one side had another width, or none (``0x%016llx`` -> ``%#llx``)."""
    if len(left) == len(right):
        return ""
    if left[2:3] == "0" and right[2:3] == "0" and abs(len(left) - len(right)) == 2:
        return " ('%#' counts the 0x inside the width, '0x%' does not)"
    return " (another field width, or none)"


PRINTED = " printed differently: "  # the words of every Printed note, which a reader may look for


class Printed(str):
    """explain_tokens' note of one value printed in two ways, with where it is in each line (characters ``a0``..
    ``a1`` of the line before, ``b0``..``b1`` of the one after): harness.convnotes names the conversions there."""

    a0: int
    a1: int
    b0: int
    b1: int

    def __new__(cls, text: str, a0: int, a1: int, b0: int, b1: int) -> Printed:
        note = super().__new__(cls, text)
        note.a0, note.a1, note.b0, note.b1 = a0, a1, b0, b1
        return note


@lru_cache(maxsize=65536)
def explain_tokens(a: str, b: str) -> tuple[str, ...]:
    """Why two log lines differ: same value in another base, width, prefix or sign; or other text (worked out once
    per pair of lines: the comparisons and the rules meet the same pairs of log lines again)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    notes: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        left, right = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        pair = _pair(left, right)
        if pair is not None:
            na, nb = pair
            if na[0] == nb[0]:
                why = f"{na[1]} -> {nb[1]}"
                if na[1].startswith(_PREFIXED) and nb[1].startswith(_PREFIXED):
                    why += width_note(left, right)
                at = (sum(map(len, ta[:i1])), sum(map(len, tb[:j1])))
                notes.append(Printed(f"same value {na[0]:#x}{PRINTED}'{left}' -> '{right}' ({why})",
                                     at[0], at[0] + len(left), at[1], at[1] + len(right)))
            else:
                notes.append(f"value '{left}' -> '{right}'")  # placed_values says where
        elif not left or not right:
            notes.append(f"text added '{right}'" if right else f"text removed '{left}'")
        else:
            notes.append(f"text '{left}' -> '{right}'")
    return tuple(notes)


@lru_cache(maxsize=4096)
def placed_values(a: str, b: str) -> tuple[Printed, ...]:
    """explain_tokens' notes of another value printed ("value 'X' -> 'Y'"), in its order, with where each is in the
    lines (as a Printed's): harness.convnotes names their conversions where only the conversion cut the value."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    out: list[Printed] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_opcodes():
        left, right = "".join(ta[i1:i2]), "".join(tb[j1:j2])
        pair = _pair(left, right) if op != "equal" else None
        if pair is not None and pair[0][0] != pair[1][0]:
            at = (sum(map(len, ta[:i1])), sum(map(len, tb[:j1])))
            out.append(Printed(f"value '{left}' -> '{right}'", at[0], at[0] + len(left), at[1], at[1] + len(right)))
    return tuple(out)


# Outcome.log_open: the same text, seen at another time (kernel/printk/printk_ringbuffer.c finalizes a record at
# its newline or when the next one is reserved; readers see finalized records only).
_OPEN = ("last line now left without a newline: printk keeps the record open, and dmesg and the console show it "
         "only once another printk comes")
_CLOSED = "last line now ends with a newline (it was left open: shown only once another printk came)"


def _more(n: int, what: str) -> str:
    return f"{n:,} more {what}" if n else f"no more {what}"


def explain_log(a: Outcome, b: Outcome) -> list[str]:
    notes: list[str] = []
    if a.unrecorded_log != b.unrecorded_log:
        notes.append(f"past the first {len(a.log) if a.unrecorded_log else len(b.log)} lines: "
                     f"{_more(a.unrecorded_log, 'lines')} -> {_more(b.unrecorded_log, 'lines')}")
    if a.log_open != b.log_open:
        notes.append(_OPEN if b.log_open else _CLOSED)
    la, lb = tuple(x.text for x in a.log), tuple(x.text for x in b.log)
    notes.extend(_line_changes(la, lb))
    # A line at another level (pr_err -> pr_warn, pr_err -> WARN()'s default): KERN_<LEVEL>, which the text does not
    # show, said of the same text and of a line whose text changed too (the text note alone hid it).
    levels = dict.fromkeys(f"level {x.level} -> {y.level}: " + (x.text if x.text == y.text else
                                                                  f"line {j + 1} of the log, whose text changed too")
                           for i, j in aligned(la, lb) if (x := a.log[i]).level != (y := b.log[j]).level)
    notes.extend(list(levels)[:3])
    if log_state(a) != log_state(b):
        notes.append(f"state left behind {_state(log_state(a), log_state(b))}")
    return notes


@lru_cache(maxsize=4096)
def aligned(la: tuple[str, ...], lb: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """The lines of two logs that are one line each side (_line_changes' pairing): equal ones, and those replaced
    one for one."""
    return tuple((i1 + k, j1 + k) for op, i1, i2, j1, j2 in _log_opcodes(la, lb)
                 if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1) for k in range(i2 - i1))


@lru_cache(maxsize=4096)
def _log_opcodes(la: tuple[str, ...], lb: tuple[str, ...]) -> tuple[tuple[str, int, int, int, int], ...]:
    """The difflib opcodes of two logs' lines: explain_log asks aligned and _line_changes of every pair of logs,
    and each diffed the two again."""
    return tuple(difflib.SequenceMatcher(a=la, b=lb, autojunk=False).get_opcodes())


@lru_cache(maxsize=4096)  # two logs recur under outcomes that differ elsewhere (532 asks, 270 pairs in the corpus)
def _line_changes(la: tuple[str, ...], lb: tuple[str, ...]) -> tuple[str, ...]:
    """What differs between two logs' lines, line by line (explain_tokens where as many lines were replaced)."""
    notes: list[str] = []
    for op, i1, i2, j1, j2 in _log_opcodes(la, lb):
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(la[i1:i2], lb[j1:j2], strict=True):
                notes.extend(explain_tokens(x, y))
        elif op != "equal":
            notes.extend(f"line only before: {x}" for x in la[i1:i2])
            notes.extend(f"line only after: {y}" for y in lb[j1:j2])
    return tuple(notes)


def explain_effects(a: Outcome, b: Outcome) -> list[str]:
    notes: list[str] = []
    pa = sorted({c.preempt_count for c in a.calls})
    pb = sorted({c.preempt_count for c in b.calls})
    if pa != pb and a.calls and b.calls:
        notes.append(f"preempt count at SEAMCALL {_counts(pa)} -> {_counts(pb)}")
    ia = sorted({c.irqs_disabled for c in a.calls})
    ib = sorted({c.irqs_disabled for c in b.calls})
    if ia != ib and a.calls and b.calls:
        # Events alone need not show it: the same irq events with the SEAMCALL made before or after them.
        def irqs(v: list[bool]) -> str:
            return " or ".join("disabled" if x else "enabled" for x in v)
        notes.append(f"interrupts at SEAMCALL {irqs(ia)} -> {irqs(ib)}")
    ca = sorted({p for c in a.calls for p in c.percpu})
    cb = sorted({p for c in b.calls for p in c.percpu})
    if ca != cb and a.calls and b.calls:
        def show(v: list[tuple[str, int]]) -> str:  # 'x = 1' as the page's state and events say it (eventwords)
            return ", ".join(f"{k} = {x}" for k, x in v) or "none"
        notes.append(f"per-CPU state at SEAMCALL {show(ca)} -> {show(cb)}")
    ea = sorted({e.kind for e in a.events})
    eb = sorted({e.kind for e in b.events})
    if ea != eb:
        notes.append(TraceNote(f"events recorded: {kinds_text(ea)} -> {kinds_text(eb)}"))
    elif [(e.kind, e.detail) for e in a.events] != [(e.kind, e.detail) for e in b.events]:
        # The same kinds, another order or other details (a per-CPU write moved past preempt_enable()).
        notes.append(first_change_text(a.events, b.events))
    if a.unrecorded_events != b.unrecorded_events:
        notes.append(f"events not recorded {a.unrecorded_events:,} -> {b.unrecorded_events:,}")
    if a.regs_out != b.regs_out:
        notes.append("registers written back differ")
    oa, ob = _handed(other_state(a)), _handed(other_state(b))
    if oa != ob:  # what an out-parameter holds after the run: unstored, the caller's own value (models.outstate)
        notes.append(f"value stored through the pointer {_state(oa, ob).replace('initial', 'not stored')}")
    sa, sb = _kept(other_state(a)), _kept(other_state(b))
    if sa != sb:
        notes.append(f"state left behind {_state(sa, sb)}")
    return notes


def _handed(state: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(x for x in state if is_out_label(x[0]))


def _kept(state: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(x for x in state if not is_out_label(x[0]))


def _counts(values: list[int]) -> str:
    """The preempt counts a run's SEAMCALLs saw, as C reads them: ``1``, ``0 or 1`` (a Python list read ``[1]``)."""
    shown = [str(v) for v in values]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def trace_detail(note: str) -> bool:
    """Whether a note is the event trace's detail (explain_effects: ``event 21 differs first: none (...) ->
    preempt count becomes 1``, ``events recorded: ... -> ...``): what it shows a fact of the runs told first (one
    more SEAMCALL) says already. By what made the note (a TraceNote), not its words: ``events not recorded 3 -> 5``
    is a count."""
    return isinstance(note, TraceNote)


def _state(a: tuple[tuple[str, str], ...], b: tuple[tuple[str, str], ...]) -> str:
    """The file-scope and static variables two runs leave differently: ``x 1 -> 2, y initial -> 0`` (initial:
    the value it started with)."""
    da, db = dict(a), dict(b)
    if len(da) < len(a) or len(db) < len(b):  # two .c files' own copies of one name (models.cload)
        return f"{', '.join(f'{n} {v}' for n, v in a) or 'initial'} -> " \
               f"{', '.join(f'{n} {v}' for n, v in b) or 'initial'}"
    names = [n for n in sorted(da.keys() | db.keys()) if da.get(n) != db.get(n)]
    return ", ".join(f"{n} {da.get(n, 'initial')} -> {db.get(n, 'initial')}" for n in names)


def _calls_differ(a: Outcome, b: Outcome) -> str:
    """How two runs' equally many SEAMCALLs differ: the first one that does, by what (``SEAMCALL 1: __seamcall_ret
    -> __seamcall``: it read "differ in leaf or component" for a call of another entry function, same leaf)."""
    for i, (x, y) in enumerate(zip(a.calls, b.calls, strict=False), start=1):
        apart = [f"{what}{p} -> {q}" for what, p, q in (
            ("", x.function, y.function), ("leaf ", f"{x.leaf:#x}", f"{y.leaf:#x}"),
            ("", x.component, y.component), ("answered ", f"{x.returned:#x}", f"{y.returned:#x}")) if p != q]
        if apart:
            return f"SEAMCALL {i}: {', '.join(apart)}"
        if x.args != y.args:
            def show(r: tuple[tuple[str, int], ...]) -> str:
                return ", ".join(f"{k}={v:#x}" for k, v in r) or "all zero"
            return f"SEAMCALL {i}: registers passed in {show(x.args)} -> {show(y.args)}"
    return "SEAMCALLs differ in leaf or component"


def show_ret(o: Outcome) -> str:
    """A return value as a reviewer reads it: an errno as the kernel writes it (``-EIO``, was ``-5 (-EIO)``), a bool
    as true or false, status codes (unsigned, 64-bit) in hex, the rest in decimal."""
    if o.ret is None:
        return "nothing" if o.ret_type == "void" else "-"
    if o.errno:  # set only for a negative signed return that is an errno (models.mirror._outcome)
        return f"-{o.errno}"
    if o.ret_type in ("_Bool", "bool"):  # as the kernel's bool reads: 'returns true' (was 'returns 1')
        return "true" if o.ret else "false"
    wide = o.ret_type in ("unsigned long long", "unsigned long", "u64")
    return f"{o.ret:#x}" if wide else str(o.ret)


LIMIT_MEANING = {
    Limit.STEPS: "stopped by the step budget",
    Limit.DEPTH: "stopped by the call depth limit",
    Limit.CALLS: "more SEAMCALLs than are recorded (the rest counted)",
    Limit.LOG: "more log lines than are recorded (the rest counted)",
    Limit.EVENTS: "more events than are recorded (the rest counted)",
    Limit.TIME: "cut short by the code group's budget of steps, or its wall-clock backstop (behaviour unknown)",
}


def describe_limits(o: Outcome) -> str:
    """The limits a run hit and what was not recorded, e.g. ``limits: steps, calls (... and 99,896 more
    SEAMCALLs)``; empty when none was hit."""
    if not o.limits:
        return ""
    more = [f"{n:,} more {what}" for n, what in ((o.unrecorded_calls, "SEAMCALLs"), (o.unrecorded_log, "log lines"),
                                                 (o.unrecorded_events, "events")) if n]
    return f"limits: {', '.join(o.limits)}" + (f" (... and {', '.join(more)})" if more else "")


@lru_cache(maxsize=1 << 16)  # equal outcomes, one line: the judge's evidence and the report describe each again
def describe(o: Outcome) -> str:
    """An outcome in one line: SEAMCALLs and components, return value and errno, first log line; or the error;
    then the limits it hit."""
    limits = describe_limits(o)
    tail = f"; {limits}" if limits else ""
    if o.status is not OutcomeStatus.OK:
        return o.status.value + (f": {o.error}" if o.error else "") + tail
    comps = sorted({c.component for c in o.calls})
    n = o.total_calls
    text = f"{n:,} SEAMCALL{'s' if n != 1 else ''}" + (f" ({', '.join(comps)})" if comps else "")
    text += f", returns {show_ret(o)}"
    return text + (f", logs '{o.log[0].text}'" if o.log else "") + tail


def explain(a: Outcome, b: Outcome, classes: tuple[DiffClass, ...]) -> list[str]:
    """One line per fact that differs, in the order a reviewer reads them."""
    notes: list[str] = []
    for c in classes:
        if c is DiffClass.PROVIDED:
            notes.append("not provided before" if a.status is OutcomeStatus.NOT_PROVIDED else "no longer provided")
        elif c is DiffClass.LIMIT:
            side = "both runs were" if not (a.ran or b.ran) else "the run before was" if not a.ran else \
                "the run after was"
            gone = a if not a.ran else b
            how = "cut short" if Limit.TIME in gone.limits else "not run"
            notes.append(f"unknown: {side} {how} ({gone.error})")
        elif c is DiffClass.ERROR:
            notes.append(f"status {a.status} -> {b.status}" + (f": {b.error}" if b.error else f" ({a.error})"))
        elif c is DiffClass.CALLS:
            who = (a.calls or b.calls)[0].component if (a.calls or b.calls) else ""
            na, nb = a.total_calls, b.total_calls
            notes.append(f"{who} SEAMCALLs {na:,} -> {nb:,}" if na != nb else _calls_differ(a, b))
        elif c is DiffClass.RETURN:
            ra, rb = show_ret(a), show_ret(b)
            # The same value of another type (int -> bool, a macro made a function): "return 0 -> 0" read as none.
            same = ra == rb or (a.ret is not None and a.ret == b.ret)
            notes.append(f"return {ra} ({a.ret_type}) -> {rb} ({b.ret_type})" if same else f"return {ra} -> {rb}")
        elif c is DiffClass.ERRNO:
            # The errno is the return's (-EIO), which the return note says: 'return -5 -> 0' and 'errno EIO -> none'
            # were one change said twice. Alone it is a return of the same value read as another type.
            if DiffClass.RETURN not in classes:
                notes.append(f"errno {a.errno or 'none'} -> {b.errno or 'none'}")  # rules' expect.errno says none
        elif c is DiffClass.LOG:
            notes.extend("log: " + n for n in explain_log(a, b))
        else:
            notes.extend(explain_effects(a, b))
    return notes
