"""A source check's unread-call note never names the mirror's own builtins.

A source check's 'calls a name the lines read neither define nor declare' never names the mirror's own builtins:
snprintf() of the prelude expands to a call of __sh_char_buf(), which the mirror models (models.builtins)."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

PRINT = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
# seamcall_err() formats the leaf into a buffer, in hex, and prints the buffer: no new printer, the leaf in hex.
BUFFERED = '\tchar leaf[24];\n\n\tsnprintf(leaf, sizeof(leaf), "%#llx", fn);\n' \
           '\tpr_err("SEAMCALL (%s) failed: %#016llx\\n", leaf, err);\n'


def test_a_printer_formatting_the_leaf_with_snprintf_is_read(tmp_path: Path) -> None:
    # Before: reuse-seamcall-err INCONCLUSIVE, 'seamcall_err() ... calls __sh_char_buf(), which the lines read neither
    # define nor declare' (the prelude's expansion of snprintf(), a name no patch or kernel header has).
    header = helpers(RETRY_SAFE).replace(PRINT, BUFFERED)
    assert header != helpers(RETRY_SAFE)
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", preparing_series(header)),), "v2", jobs=1))
    found = {v.rule.id: v for v in g.verdicts}
    reuse = found["reuse-seamcall-err"]
    assert reuse.status is VerdictStatus.PASS, reuse.note
    assert "__sh_" not in reuse.note, reuse.note
    assert found["leaf-in-hex-for-both"].status is VerdictStatus.PASS, found["leaf-in-hex-for-both"].note
