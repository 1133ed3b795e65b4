"""crosscheck says of a run the mirror stopped at a name no line of the mail defines what eval says: give --tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.pipeline import EvalRequest, evaluate
from models.native.run import find_compiler
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None and shutil.which("cc") is None, reason="no C compiler")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
OLD = "int probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) ? -5 : 0;\n}\n"
NEW = OLD.replace("? -5 : 0", "& DEMO_MASK ? -5 : 0")  # DEMO_MASK: in a header the mail does not show


def test_an_unknown_name_of_mail_alone_asks_for_the_tree(tmp_path: Path) -> None:
    # Before: 'probe: the mirror did not run it: drivers/demo/probe.c:3: unknown identifier 'DEMO_MASK'', where
    # eval said the same run '..., which no line the mail shows defines; give --tree'.
    (tmp_path / "m.toml").write_text(MATRIX)
    body = patch_body("Mask the answer.", diff("drivers/demo/probe.c", OLD, NEW))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: mask", "p1@example.org", body)])
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    assert "unknown identifier 'DEMO_MASK'" in (ev.result.outcome("v1", "probe/ONE/bad/probe.c").error or "")
    r = crosscheck_result(ev.result, find_compiler(None))
    said = [why for why in r.not_compared["v1"] if "DEMO_MASK" in why]
    assert said and all("which no line the mail shows defines; give --tree" in why for why in said), said
