"""What a patch changes that no entry point reaches (harness.reach.unreached_changes), and why."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from tests.harness.variantgen import MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

BASE = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")


def test_a_new_seamcall_path_the_matrix_cannot_feed_says_why_it_did_not_run(tmp_path: Path) -> None:
    # A new P-SEAMLDR call path taking an image: it reaches a SEAMCALL, but no feed fits 'const u8 *image'. Before:
    # 'not compared: demo_install() (demo/h.h:N), which no entry point reaches', as if nothing could run it.
    install = ("\nint demo_install(const u8 *image, u64 fn)\n{\n\tstruct tdx_module_args args = {};\n\n"
               "\treturn image ? demo_prerr(fn, &args) : -22;\n}\n")
    msgs = [message("[PATCH 1/2] demo: add helpers", "r1@x", patch_body("Add.", diff("demo/h.h", None, BASE))),
            message("[PATCH 2/2] demo: add install", "r2@x", patch_body("Add.", diff("demo/h.h", BASE,
                                                                                    BASE + install)))]
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "r.mbox", msgs),), matrix=tmp_path / "m.toml", cache=None))
    cmp = next(c for c in ev.comparison.per_patch if c.b == "v1:02")
    (said,) = cmp.unreached
    assert said.startswith("demo_install() (demo/h.h:") and said.endswith(
        "; it reaches a SEAMCALL, but the matrix cannot feed its parameter 'const u8 *image': a [params] feed or an "
        "[[entry]] runs it)"), said
