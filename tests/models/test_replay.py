"""Replays: a run depends on its script only through the answers it looked at.

Replays: a run depends on its script only through the answers it looked at, so a script that starts with
the same answers gets the earlier run's outcome; any other input that differs gets a run of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.machine import Answer
from models.mirror import Mirror, RunRequest, looked_at
from tests.models.cprog import mirror_of

# Retries while the answer is 1, at most three calls; the answer to the first call is also an argument.
RETRY = """int f(u64 fn, struct tdx_module_args *args, u64 first)
{
\tint tries = 3;
\tu64 r;

\tdo {
\t\tr = __seamcall(fn, args);
\t} while (r == 1 && --tries);
\treturn (int)r + (int)first;
}
"""


def _req(*codes: int, leaf: int = 0, entry: str = "f") -> RunRequest:
    return RunRequest(entry, leaf, tuple(Answer(c) for c in codes))


def _mirror() -> Mirror:
    return mirror_of(RETRY, "f", args=("fn", "args", "answer"))


def test_looked_at_repeats_the_last_answer_and_reads_zero_without_a_script() -> None:
    a, b = Answer(1), Answer(2)
    assert looked_at((a, b), 1) == (a,) and looked_at((a, b), 4) == (a, b, b, b)
    assert looked_at((), 2) == (Answer(0), Answer(0)) and looked_at((a,), 0) == ()


def test_same_answers_looked_at_replay_and_other_tails_do_not_matter() -> None:
    m = _mirror()
    first = m.run(_req(1, 0, 5))  # looks at two answers: 1, then 0
    again = m.run(_req(1, 0, 9, 9))  # the same two first answers: the same run
    assert m.replayed == 1 and again is first and first.ret == 1 and len(first.calls) == 2


def test_an_answer_looked_at_that_differs_runs_again() -> None:
    m = _mirror()
    one = m.run(_req(1, 0))
    other = m.run(_req(1, 3))  # differs in the second answer, which the run looks at
    assert m.replayed == 0 and (one.ret, other.ret) == (1, 4)


def test_past_the_end_of_the_script_the_repeated_answer_counts() -> None:
    m = _mirror()
    short = m.run(_req(1))  # 1, 1, 1: three calls, all answered 1
    m.run(_req(1, 1, 1))
    assert m.replayed == 1
    m.run(_req(1, 1, 0))  # the third answer differs from the repeated 1
    assert m.replayed == 1 and short.ret == 2 and len(short.calls) == 3


def test_other_inputs_never_replay() -> None:
    m = _mirror()
    m.run(_req(0))
    m.run(_req(0, leaf=7))
    m.run(RunRequest("f", 0, (Answer(0),), pr_fmt="x: "))
    m.run(RunRequest("f", 0, (Answer(0),), regs_in=(("rcx", 1),)))
    assert m.replayed == 0


def test_corpus_outcomes_with_replays_equal_every_run_done(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole corpus matrix: replays on give exactly the outcomes of running every request."""
    from harness.pipeline import EvalRequest, build_variants, read_inputs, resolve_matrix, run_variants
    from models.mirror import clear_caches

    # No time budget: a loaded host cuts a group short on one side only, and this compares what the code does.
    req = EvalRequest((corpus,), cache=None, jobs=1, time_budget=0)
    series = read_inputs(req)
    variants = build_variants(req, series)
    matrix = resolve_matrix(req, variants, series)
    clear_caches()
    replaying = run_variants(req, variants, variants.variants, matrix)
    clear_caches()
    # Every run made, none replayed (the step budget, far above the corpus' 944 steps a group, cuts neither side).
    monkeypatch.setattr(Mirror, "run", lambda self, r, deadline=None, steps=0: self._run(r, deadline, steps)[0])
    every = run_variants(req, variants, variants.variants, matrix)
    clear_caches()
    assert replaying.replayed > 0 and every.replayed == 0 and replaying.executed == every.executed
    for v in variants.variants:
        assert replaying.outcomes_of(v.name) == every.outcomes_of(v.name), v.name


def test_answers_are_looked_up_by_number_equal_ones_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replay keys are the answers' numbers (models.mirror.answer_numbers), made once per script: equal answers in
    other objects replay, an answer with other registers does not, no script reads as answers of 0, and an answer is
    not hashed again at each look-up (a record's hash is Python code: seven a run, on the corpus)."""
    from models.mirror import answer_numbers

    m = _mirror()
    regs = Answer(1, (("rdx", 5),))
    first = m.run(_req(1, 0))
    assert m.run(RunRequest("f", 0, (Answer(1), Answer(0), Answer(7)))) is first and m.replayed == 1
    m.run(RunRequest("f", 0, (regs, Answer(0))))  # the same code, other registers written back: a run of its own
    assert m.replayed == 1
    hashed = [0]
    answer_hash = Answer.__hash__

    def counted(self: Answer) -> int:
        hashed[0] += 1
        return answer_hash(self)

    script = (Answer(1), Answer(0))
    answer_numbers(script)
    monkeypatch.setattr(Answer, "__hash__", counted)
    for _ in range(3):
        assert m.run(RunRequest("f", 0, script)) is first
    assert hashed[0] == 0 and m.replayed == 4
    zero = _mirror()
    ran = zero.run(RunRequest("f", 0, ()))
    assert zero.run(_req(0, 5)) is ran and answer_numbers(()) == answer_numbers((Answer(0),))


def test_a_replay_covers_what_its_run_executed_after_each_take_of_coverage() -> None:
    """A replay adds what its run executed to the coverage taken next (each set of statements once until then),
    and again after a take or forget_runs(): every set of runs covers what it executed."""
    m = _mirror()
    m.run(_req(1, 0))
    ran = m.last_ran
    assert ran and m.take_coverage().ran == ran
    m.run(_req(1, 0, 7))  # a replay, the first since the take
    assert m.replayed == 1 and m.last_ran is ran and m.take_coverage().ran == ran
    m.run(_req(1, 0, 8))
    m.run(_req(1, 0, 9))
    assert m.replayed == 3 and m.take_coverage().ran == ran
    assert m.take_coverage().ran == frozenset()  # nothing run since
    m.run(_req(1, 0, 8))
    m.forget_runs()
    m.run(_req(1, 0))  # run again (replays forgotten): covers it again
    assert m.replayed == 0 and m.take_coverage().ran == ran


def test_equal_statement_sets_of_runs_are_kept_as_one_object() -> None:
    """Runs that are no replay of each other but execute the same statements keep one set between them (the replays
    keep each run's, until the mirror forgets its runs)."""
    m = _mirror()
    m.run(_req(0))
    first = m.last_ran
    m.run(_req(0, leaf=7))  # another leaf: run again, through the same statements
    assert m.replayed == 0 and first and m.last_ran == first and m.last_ran is first
