"""A matrix script's context and CPU features (docs/matrix.md), checked at the line that gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.matrixtext import quoted_line
from harness.spec import unknown
from harness.tomlfile import value_line
from models.runcontext import CONTEXTS, feature_name

MAX_CPUS = 8192  # arch/x86/Kconfig: NR_CPUS is at most 8192 (MAXSMP)


def script_env(table: Any, where: Where, path: Path, text: str) -> tuple[str, tuple[tuple[str, bool], ...], str]:
    """A script table's (harness.matrix._ScriptSpec) context, its features as (name, has it), sorted, and what its
    text says of them (env_text); InputError at ``where`` (its name's line) for a CPU number past MAX_CPUS, at the
    line of a context that is not one of CONTEXTS, of a name that is not an X86_FEATURE_* or X86_BUG_* one, or of
    one given twice. Those lines are searched for only then: each search reads the whole text."""
    name, context, has, lacks = table.name, table.context, table.cpu_has, table.cpu_lacks
    if not 0 <= table.cpu < MAX_CPUS:
        raise InputError(where, f"script {name}: cpu is a CPU number, 0 to {MAX_CPUS - 1}")
    if context == "task" and not has and not lacks:
        return context, (), ""
    if context not in CONTEXTS:
        raise InputError(_at(text, path, name, "context", context),
                         f"script {name}: context: " + unknown("context", context, CONTEXTS))
    seen: dict[str, str] = {}
    for key, names in (("cpu_has", has), ("cpu_lacks", lacks)):
        for feature in names:
            if not isinstance(feature, str) or not feature_name(feature):
                raise InputError(_at(text, path, name, key, str(feature)),
                                 f"script {name}: {key}: {feature!r} is not a CPU feature's or bug's name as "
                                 "arch/x86/include/asm/cpufeatures.h writes it (X86_FEATURE_*, X86_BUG_*)")
            if feature in seen:
                raise InputError(_at(text, path, name, key, feature),
                                 f"script {name}: {feature} is given twice (in {seen[feature]} and {key})")
            seen[feature] = key
    features = tuple(sorted((f, k == "cpu_has") for f, k in seen.items()))
    return context, features, env_text(context, features)


def _at(text: str, path: Path, name: str, key: str, value: str) -> Where:
    return Where(str(path), value_line(text, quoted_line(text, name), key, value))


def env_text(context: str, features: tuple[tuple[str, bool], ...]) -> str:
    """What a script's text says of its context and features beside its answers ("" for a task and none)."""
    said = [f"in {context} context"] if context != "task" else []
    said += [f"{'has' if has else 'lacks'} {name}" for name, has in features]
    return "; " + ", ".join(said) if said else ""
