"""A static key a script names that no run of it reads (harness.unreadkeys): said at its matrix line, no change."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import preparing_series
from tests.harness.test_retry_code_set_outside import PREAMBLE, PRINTERS, RULE, TAIL
from tests.harness.test_retry_code_static_key import KEYED
from tests.mailgen import write_mbox

ADD = ('[codes]\nSEAMLDR_RND_NO_ENTROPY = 0x8000000000030001\n\n[[script]]\nname = "seamldr-no-entropy-keyed"\n'
       'answers = ["SEAMLDR_RND_NO_ENTROPY", "SUCCESS"]\n{keys}\n')
# A key no function of the code reads; one only a function no entry point reaches reads; one the retry loop reads.
IDLE = ("static DEFINE_STATIC_KEY_TRUE(sc_seamldr_idle);\nstatic DEFINE_STATIC_KEY_FALSE(sc_seamldr_late);\n"
        "static int __maybe_unused sc_seamldr_late_probe(void)\n{\n"
        "\treturn static_branch_unlikely(&sc_seamldr_late);\n}\n")


def _gate(tmp_path: Path, keys: str) -> tuple[list[tuple[str, str]], tuple[str, ...], Path]:
    code = KEYED.format(kind="FALSE", storage="static ", setter=IDLE)
    tmp_path.mkdir(exist_ok=True)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    add = tmp_path / "keys.toml"
    add.write_text(ADD.format(keys=keys))
    gate = evaluate_gate(replace(GateRequest((mbox,), "v2", jobs=1, cache=None), matrix_add=(add,)))
    return [(v.rule.id, v.status.value) for v in gate.verdicts], gate.untested, add


@pytest.mark.parametrize(("keys", "unread"), [
    ('static_keys_on = ["sc_seamldr_busy"]', ()),
    ('static_keys_on = ["sc_seamldr_busy", "sc_seamldr_idle"]', (("sc_seamldr_idle", "on", 7),)),
    ('static_keys_on = ["sc_seamldr_busy"]\nstatic_keys_off = ["sc_seamldr_idle", "sc_seamldr_late"]',
     (("sc_seamldr_idle", "off", 8), ("sc_seamldr_late", "off", 8))),
], ids=["read", "idle", "idle-and-unreached"])
def test_a_key_no_run_reads_is_said_and_changes_no_verdict(tmp_path: Path, keys: str,
                                                          unread: tuple[tuple[str, str, int], ...]) -> None:
    # Before: nothing said of sc_seamldr_idle or sc_seamldr_late (the script's word went unused in silence).
    verdicts, untested, add = _gate(tmp_path, keys)
    said = [u for u in untested if "static key" in u]
    assert [re.sub(r"that (\w+\(\), )*\w+\(\) reach(es)? ", "that ... ", u) for u in said] == [
        f"{add}:{line}: script seamldr-no-entropy-keyed turns static key {k} {state}, but no code that ... names {k}: "
        "no run of the script reads it, and its word changes no outcome" for k, state, line in unread], said
    assert all("seamldr_query()" in u for u in said), said  # the entry point whose loop reads sc_seamldr_busy
    alone, _, _ = _gate(tmp_path / "alone", 'static_keys_on = ["sc_seamldr_busy"]')
    assert verdicts == alone
    assert dict(verdicts)[RULE] == "fail"


# A key the retry loop names only inside a test no run makes true (no answer is 0x1234).
RARE = ("\tif (err == 0x1234ULL) {\n\t\tif (static_branch_unlikely(&sc_seamldr_rare))\n\t\t\terr = 0;\n\t}\n"
        "\treturn err;\n}\n")


def test_a_key_named_only_where_no_run_went_is_said_as_untested(tmp_path: Path) -> None:
    # Before: nothing said (a reached function names it, so it counted as read): the script's word changed nothing.
    code = KEYED.format(kind="FALSE", storage="static ", setter="static DEFINE_STATIC_KEY_FALSE(sc_seamldr_rare);\n")
    assert "\treturn err;\n}\n" in code
    code = code.replace("\treturn err;\n}\n", RARE, 1)
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + code + "\n" + PRINTERS + TAIL))
    verdicts = []
    for keys in ('static_keys_on = ["sc_seamldr_busy", "sc_seamldr_rare"]', 'static_keys_on = ["sc_seamldr_busy"]'):
        add = tmp_path / "keys.toml"
        add.write_text(ADD.format(keys=keys))
        gate = evaluate_gate(replace(GateRequest((mbox,), "v2", jobs=1, cache=None), matrix_add=(add,)))
        verdicts.append([(v.rule.id, v.status.value) for v in gate.verdicts])
        said = [u for u in gate.untested if "static key" in u]
        if "rare" not in keys:
            assert said == [], said
            continue
        assert len(said) == 1 and said[0].startswith(
            f"{add}:7: script seamldr-no-entropy-keyed turns static key sc_seamldr_rare on, but no run of the script "
            "executed a line naming sc_seamldr_rare ("), said
        assert said[0].endswith("): its word changed no outcome, and what it would is untested"), said
    assert verdicts[0] == verdicts[1]
