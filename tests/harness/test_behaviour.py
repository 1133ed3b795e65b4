"""The behaviour check: an entry point found in the code that breaks a rule keeps it from passing.

The behaviour check (harness.behaviour): an entry point found in the code that a rule's explicit entry list does
not name, whose runs under the rule's leaves and scripts break it, keeps the rule from passing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_checks import DEMO_CALL, NO_RETRY, WRAPPER_MATRIX, _rule_verdict
from tests.harness.test_unfedseam import UNFED

# demo_ldr_retry() (u64 fn, args: the matrix feeds it, and it ran) retries a P-SEAMLDR 'no entropy' answer under a
# name no entry pattern of the rule names: a wrapper a later revision added beside the ones the rule lists.
RETRYING = (DEMO_CALL +
            "int demo_ldr_retry(u64 fn, struct tdx_module_args *args)\n{\n\tint tries = 3;\n\tu64 r;\n\n\tdo {\n"
            "\t\tr = __seamcall(fn, args);\n\t} while (r == 0x8000000000030001ULL && --tries);\n"
            "\treturn r ? -5 : 0;\n}\n")


@pytest.mark.parametrize("entry", ['"demo_call"', '["demo_c*", "demo_call"]', '"demo_c*"'])
def test_a_retrying_wrapper_an_explicit_entry_list_does_not_name_keeps_the_rule_from_passing(
        tmp_path: Path, entry: str) -> None:
    # The rule lists demo_call() and passed on it alone, silent on the wrapper whose runs showed the retry.
    rules = NO_RETRY.replace('entry = "*"', f"entry = {entry}")
    got = _rule_verdict(tmp_path / "ldr", RETRYING, WRAPPER_MATRIX, rules)
    assert got.status == "inconclusive", got
    assert "demo_ldr_retry(), an entry point found in the code that the rule's scenarios.entry does not name" \
        in got.note, got.note
    assert "demo_ldr_retry/INFO/no-entropy/demo.c: expected no SEAMCALL of the leaf issued again" in got.note, got.note


def test_a_wrapper_the_list_names_or_one_that_meets_the_rule_leaves_its_verdict_as_it_was(tmp_path: Path) -> None:
    # Named, the wrapper is judged: its retry fails the rule.
    rules = NO_RETRY.replace('entry = "*"', 'entry = ["demo_call", "demo_ldr_retry"]')
    got = _rule_verdict(tmp_path / "named", RETRYING, WRAPPER_MATRIX, rules)
    assert got.status == "fail" and [e.scenario.entry.name for e in got.evidence] == ["demo_ldr_retry"], got
    # Without its loop it meets the rule: the pass on demo_call() stands, whatever the list.
    once = RETRYING.replace("\t} while (r == 0x8000000000030001ULL && --tries);\n", "\t} while (0);\n")
    rules = NO_RETRY.replace('entry = "*"', 'entry = "demo_call"')
    assert _rule_verdict(tmp_path / "once", once, WRAPPER_MATRIX, rules).status == "pass"


@pytest.mark.parametrize("named", ['"demo_call"', '["demo_call", "demo_ldr_retry"]'], ids=["unnamed", "named"])
def test_a_wrapper_that_ran_and_breaks_the_rule_is_not_said_not_run(tmp_path: Path, named: str) -> None:
    # Said as 'all as expected, but some could not run: demo_ldr_retry(), ... does not meet it: ...' (and, beside a
    # failure, '; not run: demo_ldr_retry(), ... does not meet it'): the wrapper ran, and its runs broke the rule.
    rules = NO_RETRY.replace('entry = "*"', 'entry = "demo_call"')
    got = _rule_verdict(tmp_path / "ldr", RETRYING, WRAPPER_MATRIX, rules)
    assert got.status == "inconclusive" and "not run" not in got.note, got.note
    assert got.note.startswith("1 scenario checked (of 1 that ran, those that issued their leaf), all as expected, "
                               "but demo_ldr_retry(), an entry point found in the code that the rule's "
                               "scenarios.entry does not name (demo_call), does not meet it: "), got.note
    # demo_call() failing too: the verdict is a failure, and the wrapper is said beside it, as not meeting the rule.
    twice = RETRYING.replace("\treturn __seamcall(fn, args) ? -5 : 0;",
                             "\tif (__seamcall(fn, args))\n\t\treturn __seamcall(fn, args) ? -5 : 0;\n\treturn 0;")
    got = _rule_verdict(tmp_path / "twice", twice, WRAPPER_MATRIX, rules.replace('"demo_call"', named))
    assert got.status == "fail" and "not run" not in got.note, got.note
    assert ("; also, demo_ldr_retry(), an entry point found in the code" in got.note) is (named == '"demo_call"')


def test_all_as_expected_follows_the_scenarios_checked_and_what_is_not_provided_comes_last(tmp_path: Path) -> None:
    # v1 has demo_other(), v2 does not (not provided there) and adds demo_ldr_op(), which no run reaches. Before:
    # '1 scenario checked; not run: v2 does not define demo_other() ... (1 scenario), all as expected, but some could
    # not run: demo_ldr_op() ...': 'all as expected' read as said of what did not run.
    from harness.pipeline import EvalRequest, evaluate
    from tests.mailgen import diff, message, patch_body, write_mbox

    other = ("static inline int demo_other(u64 fn, struct tdx_module_args *args)\n{\n"
             "\treturn __seamcall(fn, args) ? -1 : 0;\n}\n")
    box = write_mbox(tmp_path / "c.mbox", [
        message("[PATCH] demo: add", "c1@x", patch_body("Add.", diff("demo/h.h", None, DEMO_CALL + other))),
        message("[PATCH v2] demo: add", "c2@x", patch_body("Add.", diff("demo/h.h", None, UNFED)))])
    (tmp_path / "m.toml").write_text(WRAPPER_MATRIX)
    (tmp_path / "rules.toml").write_text(NO_RETRY)
    ev = evaluate(EvalRequest((box,), rules=tmp_path / "rules.toml", matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    got = ev.judgement.rows[0].verdicts["v2"]
    assert got.status == "inconclusive", got
    assert got.note.startswith("1 scenario checked (of 1 that ran, those that issued their leaf), all as expected, "
                               "but some could not run: demo_ldr_op() (demo/h.h:"), got.note
    # what is known of it (v1 01/1 defines it, v2 holds demo/h.h whole without it), no tree asked for (newelsewhere)
    assert got.note.endswith("; not run: demo_other() is in v1 (v1 01/1 defines it); v2 holds demo/h.h whole "
                             "without it: a tree would not hold it either (1 scenario)"), got.note


def test_a_wrapper_the_list_leaves_out_that_could_not_run_keeps_the_rule_from_passing(tmp_path: Path) -> None:
    # demo_ldr_twice() reaches demo_call() but calls demo_elsewhere(), which no file of the variant defines (mail
    # alone: a function known only from hunks): the mirror could not run it. Before: a pass on demo_call() alone,
    # silent on it, where the tree's run of the same wrapper breaks the rule.
    code = (DEMO_CALL + "int demo_ldr_twice(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tint r = demo_elsewhere(fn);\n\n\treturn r ? r : demo_call(fn, args);\n}\n")
    rules = NO_RETRY.replace('entry = "*"', 'entry = "demo_call"')
    got = _rule_verdict(tmp_path / "unrun", code, WRAPPER_MATRIX, rules)
    assert got.status == "inconclusive", got
    assert "demo_ldr_twice(), an entry point found in the code that the rule's scenarios.entry does not name " \
        "(demo_call), could not run, so whether it meets the rule is not known: demo_ldr_twice/INFO/no-entropy/" \
        in got.note and "demo_elsewhere" in got.note, got.note
