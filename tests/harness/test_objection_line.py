"""The gate cites a NAK or a request to drop at the line of its sentence in the input.

The gate cites a NAK or a request to drop at the line of its sentence in the input (in an mbox, the mbox's line), as
the rules cite file:line, not at the reply's first line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import revision
from tests.harness.test_gate_earlier import CREATE, MAE, PREPARING, WRAPPING
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

REPLY = "reply@example.org"
# Quote and answer in turn, the objection below the second quote, wrapped by the mailer over two lines.
WORDS = ("> The loader's leaves get their own retry.\n\nWhy is that needed?\n\n> The helper takes a flag.\n\n"
         "Looks fine otherwise.\n\n{first}\n{rest}\n\nThanks,\nMae\n")


def _line_of(path: Path, text: str) -> int:
    """The oracle: the line of the file where ``text`` stands, the file read as written (one place only)."""
    lines = path.read_bytes().split(b"\n")
    found = [n for n, line in enumerate(lines, 1) if text.encode() in line]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("first", "rest", "kind"), [
    ("NAK, this special-cases the loader", "again.", "nak"),
    ("Please drop this patch, the loader", "does not need it.", "drop"),
])
@pytest.mark.parametrize("cte", [None, "quoted-printable"])
def test_an_objection_is_cited_at_its_sentence(tmp_path: Path, first: str, rest: str, kind: str,
                                               cte: str | None) -> None:
    one = revision(1, [CREATE, PREPARING, WRAPPING])
    up = one[2]["Message-ID"].strip("<>")
    reply = message(f"Re: {one[2]['Subject']}", REPLY, WORDS.format(first=first, rest=rest), sender=MAE, parent=up,
                    refs=(one[2]["In-Reply-To"].strip("<>"), up), cte=cte)
    mbox = write_mbox(tmp_path / "v1.mbox", [*one, reply])
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, rules=tmp_path / "rules.toml"))
    [o] = g.objections
    assert o.msgid == REPLY and o.kind == kind and o.sentence.startswith(first[:12]), o
    assert o.where == f"{mbox}:{_line_of(mbox, first)}", (o.where, _line_of(mbox, first))
    assert f"({mbox}:{_line_of(mbox, first)})" in o.describe()
