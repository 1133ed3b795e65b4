"""A huge patch costs little per line no code reaches, and a patch changing many functions is linear in them.

Round 69's maintainer found a 4.4 MB patch (a 200,000-line generated table no code reads) 30 s and 340 MB in eval:
each of its rows was asked why no run showed it (harness.linecover) and which definition no entry point reaches holds
it (harness.reach), the same answer 200,000 times. A patch changing 5,000 small functions (each an entry point found
in the code) ran past 15 minutes: every hunk line was read per definition (harness.discover), the entry points hashed
per lane (harness.valuecover), a list searched per entry point (models.cload), the prototypes and a file's statements
read per program loaded or line asked (models.loader, harness.runcover). The guards count the lines these modules run
(tests/linesrun.py) at two sizes, not seconds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness import commentstate, defreach, discover, linecover, reach, runcover, valuecover
from harness.pipeline import EvalRequest, evaluate
from models import cload, loader
from tests.linesrun import lines_at
from tests.mailgen import diff, message, patch_body, write_mbox

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "x/a.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
PROBE = "int probe(void)\n{\n\treturn 0;\n}\n\n"


def _eval(tmp: Path, name: str, old: str, new: str) -> list[str]:
    folder = tmp / name
    folder.mkdir()
    mbox = write_mbox(folder / "m.mbox", [message("[PATCH] x: change it", f"{name}@x",
                                                  patch_body("Change.", diff("x/a.c", old, new)))])
    (folder / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=folder / "m.toml", jobs=1, cache=None))
    return list(ev.comparison.per_patch[0].summary())


def _table(n: int, k: int) -> str:
    return "static const int big_table[] = {\n" + "".join(f"\t{i * 7 + k},\n" for i in range(n)) + "};\n"


def test_the_rows_of_a_table_no_code_reads_are_asked_about_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # probe() changes (its runs compared); a table no code reads is added beside it, and a helper no entry point
    # reaches reads another. Each row was asked why no run showed it and whether an entry point reaches what holds it
    # (the two sizes: 456 and 1,356 questions, 148 lines of linecover and reach per row). Now once per definition; a
    # row costs what walking the changed lines costs.
    said: dict[int, list[str]] = {}
    asked = {"why": 0, "covered": 0}

    def counted(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            asked[name] += 1
            return f(*args, **kwargs)
        return call

    monkeypatch.setattr(linecover, "_unused_why", counted("why", linecover._unused_why))
    monkeypatch.setattr(reach, "covered", counted("covered", defreach.covered))

    def run(n: int) -> None:
        old = PROBE + _table(n, 0) + "static int helper(int i)\n{\n\treturn big_table[i];\n}\n"
        new = PROBE.replace("return 0", "return 1") + _table(n, 1) + _table(n, 2).replace("big_table", "new_table") \
            + "static int helper(int i)\n{\n\treturn big_table[i];\n}\n"
        said[n] = _eval(tmp_path, f"t{n}", old, new)

    counts = lines_at(run, (150, 300), linecover, reach)
    assert asked["why"] <= 12 and asked["covered"] <= 40, asked  # 456 and 1,356 before
    assert counts[1] - counts[0] < 150 * 120, counts  # per row added: was 148 lines of them
    for n, summary in said.items():  # what is said of them is said as it was, whatever the rows
        assert summary == ["probe: 1 scenario differs: return 0 -> 1 [all leaves x all scripts]",
                           f"not compared: big_table (x/a.c:7-{n + 6}) never ran in v1:00 or v1:01: its users are not "
                           "in the lines the mail shows: give --tree"], summary


def _functions(n: int, k: int) -> str:
    return "".join(f"int fn_{i}(struct args *a)\n{{\n\ta->x = {i};\n\treturn {k};\n}}\n\n" for i in range(n))


def test_a_patch_changing_many_functions_costs_linear_in_them(tmp_path: Path) -> None:
    # Each changed function taking a pointer is an entry point found in the code (harness.discover): twice the
    # functions were four times the lines of these modules, and 5,000 of them ran past 15 minutes.
    head = "struct args { long x; };\n\n" + PROBE

    def run(n: int) -> None:
        _eval(tmp_path, f"f{n}", head + _functions(n, 0), head + _functions(n, 1))

    small, large = lines_at(run, (40, 80), discover, valuecover, runcover, cload, loader)
    assert large < 2.5 * small, (small, large)  # quadratic: 4x


def test_a_long_block_comment_a_patch_adds_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each ' * ' line of a block comment asks whether it starts inside one (a '*v = 3;' store is code): the file's
    # lines were copied and hashed per line asked (C work no line count sees: the lines handed over are counted).
    handed = [0]

    def counted(f: Callable[..., Any]) -> Callable[..., Any]:
        def call(lines: Any) -> Any:
            handed[0] += len(lines)
            return f(lines)
        return call

    monkeypatch.setattr(commentstate, "_starts", counted(commentstate._starts))
    monkeypatch.setattr(reach, "comment_starts", counted(commentstate.comment_starts), raising=False)
    n = 400
    comment = "/*\n" + "".join(f" * note {i}\n" for i in range(n)) + " */\n"
    _eval(tmp_path, "c", PROBE, comment + PROBE.replace("return 0", "return 1"))
    assert handed[0] < 10 * n, handed  # n * n before
