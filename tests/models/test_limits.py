"""Record caps and the deadline: a runaway run keeps the first records, counts the rest, and says which limit it hit."""

from __future__ import annotations

import inspect
import re
import sys
import time

import pytest

from models import cload
from models.capped import MAX_RECORDS, Record
from models.errors import UnsupportedConstruct
from models.machine import Answer
from models.mirror import Limit, RunRequest, outcome_from_dict, outcome_to_dict
from tests.models.cprog import mirror_of, run

HEAD = "int f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str) -> str:
    return HEAD + text + "\n}\n"


def test_record_keeps_the_first_and_counts_the_rest() -> None:
    r: Record[int] = Record(3)
    r.extend(range(5))
    r.append(9)
    assert list(r) == [0, 1, 2] and r.dropped == 3 and r.seen == 6


def test_calls_past_the_cap_are_counted_and_the_script_goes_on() -> None:
    # The script's 151st answer ends the loop: answers are indexed by every call made, not by those kept.
    code = body("\tu64 r;\n\tdo {\n\t\tr = __seamcall(fn, args);\n\t} while (r == 1);\n\treturn r == 7;")
    out = run(code, script=(1,) * 150 + (7,))
    assert out.status == "ok" and out.ret == 1
    assert len(out.calls) == MAX_RECORDS and out.unrecorded_calls == 151 - MAX_RECORDS
    assert out.total_calls == 151 and out.limits == (Limit.CALLS,)


def test_a_runaway_loop_is_stopped_with_bounded_records() -> None:
    out = run(body("\twhile (1)\n\t\t__seamcall(fn, args);\n\treturn 0;"))
    assert out.status == "error" and "budget of 100000 steps" in (out.error or "")
    assert out.limits == (Limit.STEPS, Limit.CALLS)
    assert len(out.calls) == MAX_RECORDS and out.total_calls > 99_000
    assert out.ran


def test_runaway_recursion_is_a_depth_limit() -> None:
    code = "int g(u64 fn)\n{\n\treturn g(fn) + 1;\n}\n" + body("\treturn g(fn);")
    out = run(code)
    assert out.status == "error" and out.limits == (Limit.DEPTH,)


def test_log_lines_and_events_past_the_cap() -> None:
    code = body("\tint i;\n\tfor (i = 0; i < 250; i++) {\n\t\tpr_err(\"line %d\\n\", i);\n"
                "\t\tpreempt_disable();\n\t\tpreempt_enable();\n\t}\n\treturn 0;")
    out = run(code)
    assert out.status == "ok"
    assert [x.text for x in out.log[:2]] == ["line 0", "line 1"] and len(out.log) == MAX_RECORDS
    assert out.unrecorded_log == 150 and out.unrecorded_events == 500 - MAX_RECORDS
    assert out.limits == (Limit.LOG, Limit.EVENTS)


def test_a_passed_deadline_stops_the_run_as_a_time_limit() -> None:
    m = mirror_of(body("\twhile (1)\n\t\t__seamcall(fn, args);\n\treturn 0;"), "f")
    out = m.run(RunRequest("f", 0, (Answer(0),)), deadline=time.monotonic() - 1)
    assert out.status == "error" and out.limits == (Limit.TIME,) and not out.ran
    assert "time budget ran out" in (out.error or "") and out.calls == ()


def test_record_cap_per_request() -> None:
    m = mirror_of(body("\twhile (1)\n\t\t__seamcall(fn, args);\n\treturn 0;"), "f")
    out = m.run(RunRequest("f", 0, (Answer(0),), budget=1000, max_records=5))
    assert len(out.calls) == 5 and out.total_calls > 900 and out.limits == (Limit.STEPS, Limit.CALLS)


def test_limits_and_counts_survive_json() -> None:
    out = run(body("\twhile (1) {\n\t\t__seamcall(fn, args);\n\t\tpr_err(\"x\\n\");\n\t}\n\treturn 0;"), budget=500)
    assert out.limits == (Limit.STEPS, Limit.CALLS, Limit.LOG)
    data = outcome_to_dict(out)
    assert data["limits"] == ["steps", "calls", "log"]
    assert data["unrecorded"] == {"calls": out.unrecorded_calls, "log": out.unrecorded_log, "events": 0}
    assert outcome_from_dict(data) == out


# C nested past models.cload.MAX_NESTING, each way C nests: (fn) -> expected value at fn = 5 when it runs.
def _nested(kind: str, n: int) -> tuple[str, int]:
    pre = ""
    if kind == "parentheses":
        expr, want = "(" * n + "fn" + ")" * n, 5
    elif kind == "operands":
        expr, want = "fn + (" * n + "0" + ")" * n, 5 * n
    elif kind == "unary":
        expr, want = "!" * n + "fn", 1 if n % 2 == 0 else 0
    elif kind == "macro arguments":
        pre, expr, want = "#define A(x) ((x) + 0)\n", "A(" * n + "fn" + ")" * n, 5
    elif kind == "macro chain":
        pre = "".join(f"#define M{i} M{i + 1}\n" for i in range(n)) + f"#define M{n} fn\n"
        expr, want = "M0", 5
    else:
        stmt = "{" * n + "r = fn;" + "}" * n if kind == "blocks" else "if (fn) " * n + "r = fn;"
        return HEAD.replace("{\n", "{\n\tu64 r = 0;\n") + "\t" + stmt + "\n\treturn r;\n}\n", 5
    return pre + body(f"\treturn {expr};"), want


KINDS = ("parentheses", "operands", "unary", "macro arguments", "macro chain", "blocks", "ifs")


@pytest.mark.parametrize("kind", KINDS)
def test_c_nested_too_deep_is_refused_at_its_line_not_a_crash(kind: str) -> None:
    code, _ = _nested(kind, 3000)
    try:
        out = run(code, leaf=5)
    except UnsupportedConstruct as exc:  # a macro chain: refused with the program, as an exponential expansion
        assert kind == "macro chain"
        error = str(exc)
    else:
        assert out.status == "error" and out.error_kind == "unsupported" and not out.ran
        error = out.error or ""
    assert re.search(r"test/prog\.c:\d+: .*(nested more than 200 levels deep|chain of more than 200 macros)",
                     error), error


@pytest.mark.parametrize("kind", KINDS)
def test_c_nested_within_the_limit_runs_with_its_value(kind: str) -> None:
    code, want = _nested(kind, 120)
    out = run(code, leaf=5)
    assert out.status == "ok", out.error
    assert out.ret == want


def test_whether_nested_c_parses_does_not_depend_on_the_callers_recursion_limit() -> None:
    text = "int f(int fn)\n{\n\treturn " + "(" * 150 + "fn" + ")" * 150 + ";\n}\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 120)  # too few frames for pycparser's 7 a parenthesis
    try:
        nodes = cload._parse_chunk(text, ())
    finally:
        sys.setrecursionlimit(limit)
    assert len(nodes) == 1


def test_a_deep_chain_of_distinct_calls_is_not_modelled_but_mutual_recursion_is_a_depth_limit() -> None:
    chain = "".join(f"u64 h{i}(u64 x)\n{{\n\treturn {f'h{i + 1}(x)' if i < 59 else 'x'};\n}}\n"
                    for i in range(59, -1, -1))
    out = run(chain + body("\treturn h0(fn);"), leaf=5)
    assert out.status == "error" and out.error_kind == "unsupported" and not out.ran and not out.limits
    assert "each to another function (no recursion" in (out.error or "")
    pair = "u64 b(u64 x);\nu64 a(u64 x)\n{\n\treturn b(x) + 1;\n}\nu64 b(u64 x)\n{\n\treturn a(x);\n}\n"
    out = run(pair + body("\treturn a(fn);"))
    assert out.status == "error" and out.limits == (Limit.DEPTH,) and "runaway recursion" in (out.error or "")
    assert out.ran


@pytest.mark.parametrize("literal", ["9" * 5000, "9" * 5000 + "ULL"])
def test_a_decimal_constant_of_thousands_of_digits_is_refused_at_its_line(literal: str) -> None:
    """int() reads no decimal past 4,300 digits: a ValueError, 'a bug in seamharness', with no line of the C."""
    out = run(body(f"\tu64 big = {literal};\n\treturn big == 0;"), leaf=5)
    assert out.status == "error" and out.error_kind == "unsupported"
    assert re.match(r"test/prog\.c:3: integer constant 9+(ULL)? fits none of the types", out.error or ""), out.error
