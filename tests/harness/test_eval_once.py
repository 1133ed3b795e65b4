"""What eval's summaries and objection readers ask for every state is worked out once.

What eval's summaries and the objection readers ask again for every state judged is worked out once: the rules
file's [[read]] tables per judgement, a reply's withdrawal sentences per text, a letter's script per letter."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from harness import language, nakwords, report
from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, write_mbox


def test_the_read_tables_are_read_once_per_eval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: once for each revision judged and once more for the reviewer variants (the rules file parsed each time).
    asked: list[Path] = []
    real = report.replies_read

    def counted(path: Path) -> dict[str, str]:
        asked.append(path)
        return real(path)

    monkeypatch.setattr(report, "replies_read", counted)
    (tmp_path / "m.toml").write_text(MATRIX)
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "r"\nreviewer = "Rita"\nsummary = "s"\npatch = "print fn in decimal"\n'
                     '[rule.check]\nkind = "changelog"\nmust_not_match = "(?i)nothing anyone wrote"\n')
    mbox = write_mbox(tmp_path / "s.mbox", [*demo_series(1), *demo_series(2)])
    ev = evaluate(EvalRequest((mbox,), jobs=1, rules=rules, matrix=tmp_path / "m.toml"))
    model = report_model(ev)
    assert sum(s.judged for s in model.summaries) == 2, model.summaries
    assert asked == [rules]


def test_withdrawal_sentences_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: every state judged read the reply's sentences again for its withdrawals.
    asked: Counter[str] = Counter()
    real = nakwords._sentences

    def counted(text: str) -> Any:
        asked[text] += 1
        return real(text)

    monkeypatch.setattr(nakwords, "_sentences", counted)
    text = "NAK, the loop spins.\n\nActually, scratch that, I was wrong, no NAK from me (test_eval_once).\n"
    first = nakwords.withdrawal_sentences(text)
    assert nakwords.withdrawal_sentences(text) == first and nakwords.retracted_after(text) == first[0].strip()
    assert asked[text] == 1


def test_a_letters_script_is_named_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: unicodedata.name of every letter of every sentence read, the same few letters again and again.
    asked: Counter[str] = Counter()

    class Counted:
        def __getattr__(self, name: str) -> Any:
            return getattr(unicodedata, name)

        @staticmethod
        def name(ch: str, default: str = "") -> str:
            asked[ch] += 1
            return unicodedata.name(ch, default)

    monkeypatch.setattr(language, "unicodedata", Counted())
    getattr(language._script, "cache_clear", lambda: None)()  # a letter named by an earlier test is not asked again
    said = "Bitte diesen Patch nicht übernehmen, der Retry ist falsch und gefährlich (test_eval_once)."
    assert language.unread_language(said) is not None
    assert language.unread_language(said + " Nochmal: bitte nicht.") is not None
    assert asked and max(asked.values()) == 1, asked
