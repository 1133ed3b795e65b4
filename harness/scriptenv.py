"""A matrix script's context, CPU features and static keys (docs/matrix.md), checked at the line that gives them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.matrixtext import quoted_line, text_lines
from harness.spec import unknown
from harness.tomlfile import value_line
from models.runcontext import CONTEXTS, feature_name
from models.statickeys import key_name
from models.wordfind import BOUNDARY, has_name

MAX_CPUS = 8192  # arch/x86/Kconfig: NR_CPUS is at most 8192 (MAXSMP)
REGISTERS = ("rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi")
_KEYS = ("static_keys_on", "static_keys_off")
_SET = re.compile(r"\s*=")  # after an input's register on its line: ``rcx = 1``
_NOT_A_FEATURE = ("is not a CPU feature's or bug's name as arch/x86/include/asm/cpufeatures.h writes it "
                  "(X86_FEATURE_*, X86_BUG_*)")
_NOT_A_KEY = "is not a static key's name: a C identifier, as DEFINE_STATIC_KEY_TRUE(name) or _FALSE(name) has it"


def script_env(table: Any, where: Where, path: Path, text: str) -> tuple[str, tuple[tuple[str, bool], ...], str]:
    """A script table's (harness.matrix._ScriptSpec) context, its features as (name, has it), sorted, and what its
    text says of them (env_text); InputError at ``where`` (its name's line) for a CPU number past MAX_CPUS, at the
    line of a context that is not one of CONTEXTS, of a name that is not an X86_FEATURE_* or X86_BUG_* one, of a
    static key's that is no C identifier, or of one given twice. Those lines are searched for only then: each search
    reads the whole text. The static keys the script turns on and off (static_keys_on, static_keys_off:
    models.statickeys) are among the features, by their C names, as (name, on)."""
    name, context, has, lacks = table.name, table.context, table.cpu_has, table.cpu_lacks
    if not 0 <= table.cpu < MAX_CPUS:
        raise InputError(where, f"script {name}: cpu is a CPU number, 0 to {MAX_CPUS - 1}")
    keys = (("static_keys_on", table.static_keys_on), ("static_keys_off", table.static_keys_off))
    if context == "task" and not has and not lacks and not any(names for _, names in keys):
        return context, (), ""
    if context not in CONTEXTS:
        raise InputError(_at(text, path, name, "context", context),
                         f"script {name}: context: " + unknown("context", context, CONTEXTS))
    seen: dict[str, str] = {}
    for key, names in (("cpu_has", has), ("cpu_lacks", lacks), *keys):
        for feature in names:
            if not isinstance(feature, str) or not (key_name if key in _KEYS else feature_name)(feature):
                raise InputError(_at(text, path, name, key, str(feature)), f"script {name}: {key}: {feature!r} "
                                 + (_NOT_A_KEY if key in _KEYS else _NOT_A_FEATURE))
            if feature in seen:
                raise InputError(_at(text, path, name, key, feature),
                                 f"script {name}: {feature} is given twice (in {seen[feature]} and {key})")
            seen[feature] = key
    features = tuple(sorted((f, k in ("cpu_has", "static_keys_on")) for f, k in seen.items()))
    return context, features, env_text(context, features)


def key_lines(table: Any, path: Path, text: str) -> tuple[tuple[str, str, int], ...]:
    """(name, file, line) of each static key a script table (harness.matrix._ScriptSpec) turns on or off: where
    harness.scriptkeys says a key no file defines."""
    return tuple((n, str(path), _at(text, path, table.name, key, n).line) for key in _KEYS for n in getattr(table, key))


def _at(text: str, path: Path, name: str, key: str, value: str) -> Where:
    return Where(str(path), value_line(text, quoted_line(text, name), key, value))


def env_text(context: str, features: tuple[tuple[str, bool], ...]) -> str:
    """What a script's text says of its context and features beside its answers ("" for a task and none)."""
    said = [f"in {context} context"] if context != "task" else []
    said += [f"{'has' if has else 'lacks'} {name}" if feature_name(name) else
             f"static key {name} {'on' if has else 'off'}" for name, has in features]
    return "; " + ", ".join(said) if said else ""


Start = tuple[int, str, tuple[tuple[str, bool], ...]]  # (CPU, context, features): how a script's runs start


def start_of(cpu: int, context: str, features: tuple[tuple[str, bool], ...]) -> Start:
    """A script's start: its CPU, context and CPU feature bits and static keys, sorted (the same start given in
    another order is one)."""
    return cpu, context, tuple(sorted(features))


def start_tag(start: Start) -> str:
    """A script name's suffix saying a start other than the default one (CPU 0, a task, nothing given): ``@hardirq``,
    ``+X86_FEATURE_RDRAND`` (has), ``-X86_FEATURE_RDRAND`` (lacks; a static key on/off alike), ``@cpu1``; "" for
    the default one."""
    cpu, context, features = start
    said = f"@{context}" if context != "task" else ""
    said += "".join(f"{'+' if has else '-'}{name}" for name, has in features)
    return said + (f"@cpu{cpu}" if cpu else "")


def int64(value: Any, where: Where, what: str) -> int:
    """``value`` where it is an int of 0 to 2**64 - 1 (a code, leaf or register); InputError at ``where`` naming
    ``what`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(where, f"{what} must be an integer, not {value!r}")
    if value < 0:  # TOML writes a negative number in decimal only: said as written, not as '-0x21'
        raise InputError(where, f"{what} {value} is negative: a code, leaf or register is 0 to 0xffffffffffffffff")
    if value >= 1 << 64:
        raise InputError(where, f"{what} {value:#x} does not fit in 64 bits")
    return value


def script_inputs(table: Any, path: Path, text: str) -> tuple[tuple[str, int], ...]:
    """A script's ``inputs``, in the struct's order (REGISTERS): each a register of struct tdx_module_args and a
    64-bit value, refused at its line otherwise (the script's line when the key is not found on one of its own)."""
    if not table.inputs:
        return ()
    start = quoted_line(text, table.name)
    lines = text_lines(text)  # once per file: split for each script, 20,000 scripts took minutes
    for reg, value in table.inputs.items():
        at = next((n for n in range(max(start, 1), len(lines) + 1) if has_name(lines[n - 1], reg, BOUNDARY, _SET)),
                  start)
        where = Where(str(path), at)
        if reg not in REGISTERS:
            raise InputError(where, f"script {table.name}: inputs: " + unknown("register", reg, REGISTERS))
        int64(value, where, f"script {table.name}: inputs.{reg}")
    return tuple((r, int(table.inputs[r])) for r in REGISTERS if r in table.inputs)
