"""Differential testing of the mirror against gcc on generated C (tests/models/cgen.py).

Each batch is one header of generated entry points, run through the behaviour matrix by the mirror and built by
gcc from the same text (harness.crossraw, as ``seamharness crosscheck --source original`` builds it) with
``-fsanitize=shift-exponent,integer-divide-by-zero,signed-integer-overflow,builtin`` trapping: under the kernel's
``-fwrapv`` that is exactly the undefined behaviour the mirror stops on (a shift past the width, division by
zero, ``INT_MIN / -1``, ``__builtin_clz(0)``). Every scenario is classified: agree (same outcome), ub (both
stop), refused (the mirror says UnsupportedConstruct with FILE:LINE), or a disagreement of a kind.

Run a long campaign as ``python -m tests.models.cdiff --seeds 0-99`` (``nox -s cdiff``); tests/models/
test_cdiff_gcc.py runs a fixed sample.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import models.native.rawtu as rawtu
from harness.crosscheck import first_divergence
from harness.crossraw import plan_units
from harness.explain import signature
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.matrixresult import MatrixResult
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.mirror import Outcome, OutcomeStatus
from models.native.run import NativeRun, find_compiler, run_native
from models.outcome import ErrorKind
from tests.models import cgen, cgenkernel, cgenmore, cgenseam
from tests.models.cgen import Program

HEADER = "demo/cd.h"
BUILD_CHECKS = re.compile(r"(FIELD_\w+|GENMASK\w*|BIT\w*|min|max|clamp\w*)\(?[^:]*: |BUILD_BUG")
SANITIZE = ("-fsanitize=shift-exponent,integer-divide-by-zero,signed-integer-overflow,builtin",
            "-fsanitize-undefined-trap-on-error")
# A generator's own check: every undefined behaviour gcc's sanitizer finds traps (array bounds, shifts of a bit-field's
# width, ...), so that a program of ub=0 traps nowhere; signed '<<' into the sign bit aside (-fwrapv: gcc defines it).
UNDEFINED = ("-fsanitize=undefined", "-fno-sanitize=shift-base", "-fsanitize-undefined-trap-on-error")
CODES = {"OK": 0, "BUSY": 0x8000000000000010, "BIG": 0xC0000100FFFF0001, "SMALL": 5, "NEG": 0xFFFFFFFF80000000}
SCRIPTS = {
    "ok": '["OK"]',
    "big": '[{ code = "BIG", rcx = 0x8000000000000000, rdx = 0xfffffffffffffffe }, "SMALL"]',
    "mix": '[{ code = "BUSY", rcx = 3, rdx = 0x7f }, { code = "NEG", rcx = 0xffffffff }, "SMALL"]',
}


OK_CLASSES = ("agree", "ub", "refused", "both refuse", "build check")


@dataclass
class Tally:
    """Scenarios by class; the disagreements with their program and scenario, first of each kind kept whole."""

    classes: Counter[str] = field(default_factory=Counter)
    cases: list[tuple[str, str, str, str]] = field(default_factory=list)  # kind, scenario, detail, C text
    functions: int = 0
    seconds: float = 0.0

    def add(self, other: Tally) -> None:
        self.classes.update(other.classes)
        self.cases.extend(other.cases)
        self.functions += other.functions
        self.seconds += other.seconds


def matrix_text(entries: list[str], scripts: dict[str, str]) -> str:
    codes = "".join(f"{k} = {v:#x}\n" for k, v in CODES.items())
    out = f"[codes]\n{codes}[leaves]\nONE = 1\n[[unit]]\nname = \"demo.c\"\npath = \"demo/demo.c\"\n"
    out += "".join(f'[[entry]]\nname = "{e}"\n' for e in entries)
    return out + "".join(f'[[script]]\nname = "{k}"\nanswers = {v}\n' for k, v in scripts.items())


def mirror_result(text: str, entries: list[str], scripts: dict[str, str], tmp: Path) -> tuple[Variant, MatrixResult]:
    v = Variant("cd", "cd", (full_file(HEADER, text, "generated"),), (), (), (), "t")
    (tmp / "m.toml").write_text(matrix_text(entries, scripts))
    # No time budget: agreement with gcc is what is asked, and a loaded CI host once used up 5 s on one group.
    return v, run_matrix(MatrixRequest((v,), load_matrix(tmp / "m.toml"), jobs=1, time_budget=0))


@contextlib.contextmanager
def sanitized(flags: tuple[str, ...] = SANITIZE) -> Iterator[None]:
    """gcc's builds trap on the undefined behaviour the mirror models (the harness's flags otherwise)."""
    saved = rawtu.RAW_CFLAGS
    rawtu.RAW_CFLAGS = (*saved, *flags)
    try:
        yield
    finally:
        rawtu.RAW_CFLAGS = saved


def native_outcomes(v: Variant, result: MatrixResult, cc: str, tmp: Path, sanitize: tuple[str, ...] = SANITIZE
                    ) -> tuple[dict[str, Outcome], dict[str, str], frozenset[str]]:
    """Every scenario the mirror ran or stopped on, built from the text by gcc with the traps; per entry gcc
    would not build, why; the file-scope integers reported."""
    from harness.runner import variant_sources
    from models.loader import EntryPoint
    from models.mirror import load_mirror

    mirror = load_mirror(variant_sources(v), tuple(EntryPoint(e.name, e.args) for e in result.matrix.entries))
    units, refused = plan_units(v, mirror, result)
    outcomes: dict[str, Outcome] = {}
    state: frozenset[str] = frozenset()
    with sanitized(sanitize):
        native_o = rawtu.native_object(cc, tmp)
        for unit in units.values():
            work = tmp / "unit"
            work.mkdir()
            build = rawtu.build_unit(unit, cc, work, native_o)
            refused.update(build.left_out)
            if build.lib is None:
                refused.update({e.name: f"gcc: {build.error}" for e in unit.entries})
                continue
            state |= frozenset(build.state)
            built = {e.name: e for e in unit.entries if e.name not in build.left_out}
            runs = [NativeRun(s.id, built[s.entry.name].wrapper, s.leaf, s.script.answers, "",
                              built[s.entry.name].ret_type, context=s.script.context, features=s.script.features,
                              entry=s.entry.name)
                    for s in result.matrix.scenarios if s.entry.name in built]
            outcomes.update(run_native(build.lib, runs, 20.0))
    return outcomes, {k.partition(" ")[0]: w for k, w in refused.items()}, state


def classify(m: Outcome, n: Outcome | None, refused: str | None, state: frozenset[str]) -> tuple[str, str]:
    """(class, detail) of one scenario: ``agree``, ``ub``, ``refused`` or a disagreement's kind."""
    if m.status is OutcomeStatus.ERROR and m.error_kind is ErrorKind.UNSUPPORTED:
        ok = HEADER.rsplit("/", 1)[1] + ":" in (m.error or "")
        return ("refused" if ok else "refused without FILE:LINE"), m.error or ""
    if n is None:
        return ("both refuse" if m.status is OutcomeStatus.ERROR else "gcc refuses, mirror ran"), \
            f"{refused}; mirror {m.status} {m.error or ''}"
    trapped = n.status is OutcomeStatus.ERROR and "SIGILL" in (n.error or "")
    if m.error_kind is ErrorKind.BUILD and BUILD_CHECKS.search(m.error or ""):
        # bitfield.h's, bits.h's and minmax.h's checks: the native stand-ins (sh_native.h) leave them to the mirror
        return "build check", m.error or ""
    if m.status is OutcomeStatus.ERROR:
        if m.error_kind is ErrorKind.RUNTIME and trapped:
            return "ub", m.error or ""
        return f"mirror {m.error_kind}, gcc {'traps' if trapped else n.status}", f"{m.error}; native {n.error}"
    if trapped:
        return "mirror computed a value where gcc traps (UB)", f"mirror ret {m.ret}"
    if n.status is not OutcomeStatus.OK:
        return f"native {n.status}", n.error or ""
    if any(x not in state for x, _ in m.state):  # static locals: not reported natively (crosscheck's rule)
        m = replace(m, state=tuple(x for x in m.state if x[0] in state))
    if signature(m) == signature(n):
        return "agree", ""
    d = first_divergence(m, n)
    return d.split(":", 1)[0].split(" ")[0], d


def run_program(prog: Program, cc: str, scripts: dict[str, str] = SCRIPTS, sanitize: tuple[str, ...] = SANITIZE
                ) -> Tally:
    """Run one program both ways (gcc's build trapping on ``sanitize``); every scenario classified."""
    started = time.perf_counter()
    text = prog.render()
    entries = [f.name for f in prog.entries]
    tally = Tally(functions=len(entries))
    with tempfile.TemporaryDirectory(prefix="cdiff-") as tmpname:
        tmp = Path(tmpname)
        v, result = mirror_result(text, entries, scripts, tmp)
        natives, refused, state = native_outcomes(v, result, cc, tmp, sanitize)
    for s in result.matrix.scenarios:
        kind, detail = classify(result.outcome(v.name, s.id), natives.get(s.id), refused.get(s.entry.name), state)
        tally.classes[kind] += 1
        if kind not in OK_CLASSES:
            tally.cases.append((kind, s.id, detail, text))
    tally.seconds = time.perf_counter() - started
    return tally


GENERATORS = {"cgen": cgen.generate, "cgenmore": cgenmore.generate, "cgenseam": cgenseam.generate,
              "cgenkernel": cgenkernel.generate}


def campaign(seeds: range, functions: int, ub: float, cc: str, out: Path | None, quiet: bool = False,
             generator: str = "cgen", sanitize: tuple[str, ...] = SANITIZE) -> Tally:
    total = Tally()
    for seed in seeds:
        t = run_program(GENERATORS[generator](seed, functions, ub), cc, sanitize=sanitize)
        total.add(t)
        if not quiet:
            bad = sum(n for k, n in t.classes.items() if k not in OK_CLASSES)
            print(f"seed {seed}: {sum(t.classes.values())} scenarios, {bad} disagreements, {t.seconds:.1f} s",
                  file=sys.stderr)
        if out is not None:
            for j, (kind, sid, detail, text) in enumerate(t.cases):
                (out / f"seed{seed}-{j}.c").write_text(f"/* {kind}: {sid}\n * {detail}\n */\n{text}")
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0-9", help="a range FIRST-LAST of generator seeds")
    ap.add_argument("--functions", type=int, default=40, help="entry points per program")
    ap.add_argument("--ub", type=float, default=0.0, help="chance a division or shift is left unguarded")
    ap.add_argument("--out", type=Path, help="write each disagreeing program there")
    ap.add_argument("--generator", choices=sorted(GENERATORS), default="cgen",
                    help="cgenmore: bit-fields, arrays of structs, goto unwinding, '*' widths (tests/models/cgenmore); "
                         "cgenseam: retry loops, guards, per-CPU variables, status formats (tests/models/cgenseam); "
                         "cgenkernel: memset/memcpy of union arrays and of parts of structs, typeof function pointers, "
                         "static counters, case ranges, goto, __free, %%*ph of arrays, cmpxchg, cond_resched, "
                         "ratelimits (tests/models/cgenkernel)")
    ap.add_argument("--undefined", action="store_true",
                    help="gcc traps on all of -fsanitize=undefined: checks the generator (with --ub 0, no 'ub' at all)")
    args = ap.parse_args(argv)
    first, _, last = args.seeds.partition("-")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    total = campaign(range(int(first), int(last or first) + 1), args.functions, args.ub, find_compiler(None),
                     args.out, generator=args.generator, sanitize=UNDEFINED if args.undefined else SANITIZE)
    print(f"{total.functions} functions, {sum(total.classes.values())} scenarios in {total.seconds:.1f} s")
    for kind, n in total.classes.most_common():
        print(f"  {n:6d}  {kind}")
    for kind, sid, detail, _ in total.cases[:40]:
        print(f"{kind}: {sid}: {detail[:300]}")
    return 1 if any(k not in OK_CLASSES for k in total.classes) else 0


if __name__ == "__main__":
    sys.exit(main())
