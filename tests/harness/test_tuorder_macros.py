"""harness.tuorder.static_conflict on functions whose name a macro spells.

harness.tuorder.static_conflict on functions whose name a macro spells (tools/perf's BPF ``int
syscall_enter(openat)(void *args)``): two uses of the macro with other arguments define two functions, the same
arguments twice one function twice; the refusal is ``FILE:LINE: gcc's words``, at a line gcc names (its error's, or
the use of the macro it was expanded from). gcc -fsyntax-only on the same files decides every case."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crossrefuse import refused_alike
from harness.filestate import full_file
from harness.tuorder import static_conflict
from harness.unitclash import unit_clash
from models.outcome import ErrorKind, Outcome, OutcomeStatus

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed")

UNIT, HEADER = "tools/demo/probe.c", "tools/demo/bpf.h"
# tools/perf/include/bpf/bpf.h's form: a section named after the syscall, the function's name pasted
ENTER = ('#define SEC(n) __attribute__((section(n), used))\n'
         '#define syscall_enter(name) \\\n\tSEC("syscalls:sys_enter_" #name) syscall_enter_ ## name\n')
BODY = "(void *args)\n{\n\treturn 0;\n}\n"

CASES = [  # (the unit's text, the header's or None)
    (ENTER + "int syscall_enter(openat)" + BODY + "int syscall_enter(close)" + BODY, None),
    (ENTER + "int syscall_enter(close)" + BODY + "int syscall_enter(close)" + BODY, None),
    (ENTER + "int syscall_enter(openat)(void *args);\nstatic int syscall_enter(openat)" + BODY, None),
    (ENTER + "static int syscall_enter(openat)(void *args);\nint syscall_enter(openat)" + BODY, None),
    ("#define fn real_fn\nint fn(void)\n{\n\treturn 0;\n}\nint real_fn(void)\n{\n\treturn 1;\n}\n", None),
    ("#define pick(n) n ## _impl\nstatic int pick(a)(void);\nint a_impl(void);\n", None),
    ("static int hook(int x)\n{\n\treturn x;\n}\n#define hook(x) hook(x)\nint use(void)\n{\n\treturn hook(1);\n}\n",
     None),
    ('#include "bpf.h"\nint syscall_enter(close)' + BODY, ENTER + "int syscall_enter(openat)" + BODY),
    ('#include "bpf.h"\nint syscall_enter(openat)' + BODY, ENTER + "int syscall_enter(openat)" + BODY),
]


def _gcc(tmp_path: Path, files: dict[str, str]) -> tuple[set[str], str, str] | None:
    """The places gcc names for its first error (the error's FILE:LINE, and each use of a macro it was expanded
    from), its words and all it said; None when it builds."""
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    done = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", UNIT], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "LC_ALL": "C"})
    if done.returncode == 0:
        return None
    first = done.stderr.split(": error: ", 1)
    assert len(first) == 2, done.stderr
    said = first[1].split("\n", 1)[0]
    sites = set(re.findall(r"^(\S+?:\d+):\d+: (?:error: |note: in expansion of macro)",
                           done.stderr.split(": note: previous ", 1)[0], re.MULTILINE))
    return sites, said, done.stderr


@pytest.mark.parametrize(("unit", "header"), CASES)
def test_a_function_named_through_a_macro_is_judged_by_the_name_gcc_declares(tmp_path: Path, unit: str,
                                                                          header: str | None) -> None:
    texts = {UNIT: unit, **({HEADER: header} if header is not None else {})}
    files = tuple(full_file(p, t, "written") for p, t in sorted(texts.items()))
    found = static_conflict(files, UNIT) or unit_clash(files, UNIT)
    gcc = _gcc(tmp_path, texts)
    if gcc is None:
        assert found is None
        return
    sites, said, stderr = gcc
    assert found is not None, said
    where, _, words = found.partition(": ")
    assert where in sites and words.startswith(said), (found, sites, said)
    # crosscheck counts it as one refusal with gcc's, as every FILE:LINE refusal (gcc's said as models.native.rawtu
    # says it: FILE:LINE, no column, and the macro expansions that led to it)
    refused = Outcome(OutcomeStatus.ERROR, error=found, error_kind=ErrorKind.BUILD)
    assert refused_alike(refused, "gcc refuses it: " + re.sub(r"^(\S+?:\d+):\d+: (?:note: )?", r"\1: ", stderr,
                                                               flags=re.MULTILINE))
