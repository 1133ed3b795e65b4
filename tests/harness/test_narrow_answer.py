"""sc_retry()'s answer kept in an ``int``, against gcc: the loader's "no entropy" rule judged on what the int keeps.

``int err;`` keeps the low 32 bits of each answer (C11 6.3.1.3, gcc: truncated), sign-extended when compared with the
64-bit ``TDX_RND_NO_ENTROPY``: ``err != TDX_RND_NO_ENTROPY`` holds for every answer and the loop retries nothing
(models.idleloop), so no failed SEAMCALL is issued again: the rule that the P-SEAMLDR's "no entropy" is not retried
passes, saying why (it was inconclusive: 'a test ... never tested / always came out true'). The loop's behaviour did
change (the module's "no entropy" no longer retried, the error returned as its low bits): the equivalence rules fail.
The twin retrying the loader's code by its low bits fails the rule."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import _ORACLE
from tests.harness.test_unseen_retry_shapes import FAIL, LDR, NAK, NO_RETRY, PASS, UNCHANGED, _check, gate

INT = RETRY_SAFE.replace("\tu64 err;\n", "\tint err;\n")
TEST = "err != TDX_RND_NO_ENTROPY || !--left"
LOADER = 0x8000000000030001


def _gcc_calls(tmp_path: Path, loop: str, answer: int) -> int:
    """The SEAMCALLs gcc's build of ``loop`` makes when every answer is ``answer``."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    main = "int main(void)\n{\n\tbusy = 1000;\n\tsc_retry(answer, 1, 0);\n\tprintf(\"%d\", calls);\n\treturn 0;\n}\n"
    module = "#define TDX_RND_NO_ENTROPY 0x8000020300000000ULL"  # the oracle answers it: made ``answer``
    assert module in _ORACLE
    src.write_text(_ORACLE.replace(module, f"#define TDX_RND_NO_ENTROPY {answer:#x}ULL\n" + module.replace(
        "TDX_RND_NO_ENTROPY", "SC_MODULE")) + loop.replace("TDX_RND_NO_ENTROPY", "SC_MODULE") + main)
    subprocess.run(["gcc", "-O1", "-w", "-o", str(exe), str(src)], check=True)
    return int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)


@pytest.mark.parametrize("loop, want, calls", [
    (INT, {NO_RETRY: PASS, UNCHANGED: FAIL, NAK: FAIL}, 1),
    # The twin: the loader's code retried as its low bits (0x30001), which an int keeps.
    (LDR + INT.replace(TEST, "(err != TDX_RND_NO_ENTROPY && err != 0x30001) || !--left"), {NO_RETRY: FAIL}, 10),
], ids=["int", "int retrying the loader's low bits"])
def test_an_int_answer_retries_what_gcc_retries(tmp_path: Path, loop: str, want: dict[str, object], calls: int
                                                 ) -> None:
    assert TEST in RETRY_SAFE
    assert _gcc_calls(tmp_path, loop, LOADER) == calls  # gcc: the loader's "no entropy" answered every time
    found = gate(tmp_path, RETRY_SAFE, loop)
    _check(found, want)  # type: ignore[arg-type]
    if want[NO_RETRY] is PASS:
        assert "retries nothing" in found[NO_RETRY][1] and "'err' keeps it as int" in found[NO_RETRY][1], found
