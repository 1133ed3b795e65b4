"""Record caps and the deadline: a runaway run keeps the first records, counts the rest, and says which limit it hit."""

from __future__ import annotations

import time

from models.machine import MAX_RECORDS, Answer, Record
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
