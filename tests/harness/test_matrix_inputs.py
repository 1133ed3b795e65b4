"""A matrix script's ``inputs`` set each run's SEAMCALL input registers.

A matrix script's ``inputs`` set the SEAMCALL's input registers of each run (harness.matrix): a revision that clears
them (``args->rdx = 0``, ``memset(args, 0, ...)`` before a retry) hands the module other values, which eval and the
gate's equivalence rule tell (with every run starting from registers all 0, both read 'no change')."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import InputError
from harness.matrix import load_matrix
from tests.harness.seriesgen import RETRY_SAFE, helpers, preparing_series
from tests.harness.test_value_gate import _gate_series
from tests.harness.variantgen import MATRIX
from tests.mailgen import write_mbox

CALL = "\t\terr = sc_mark_dirty(op, fn, args);\n"
assert CALL in RETRY_SAFE


def _messages(before_call: str) -> list[EmailMessage]:
    """A v2 whose 'Prepare' patch puts ``before_call`` in front of each call of sc_retry()'s loop."""
    return preparing_series(helpers(RETRY_SAFE.replace(CALL, before_call + CALL)))


def _series(tmp_path: Path, before_call: str) -> Path:
    return write_mbox(tmp_path / "v2.mbox", _messages(before_call))


@pytest.mark.parametrize("clear", ["\t\targs->rdx = 0;\n", "\t\tmemset(args, 0, sizeof(*args));\n"])
def test_clearing_the_input_registers_before_a_retry_fails_the_equivalence_rule(tmp_path: Path, clear: str) -> None:
    rule = _gate_series(tmp_path, _messages(clear))
    assert rule["verdict"] == "fail", rule
    said = {e["scenario"].split(" (and")[0]: e["actual"] for e in rule["evidence"]}  # type: ignore[attr-defined]
    tdx = said["seamcall/TDH_SYS_INIT/args-in-tdx/tdx.c"]
    assert "registers passed in" in tdx and "rdx=0x200000002" in tdx, said


def test_eval_names_the_cleared_register(tmp_path: Path) -> None:
    mbox = _series(tmp_path, "\t\targs->rdx = 0;\n")
    r = CliRunner().invoke(app, ["eval", str(mbox), "--json", str(tmp_path / "e.json"), "--time-budget", "0"])
    assert r.exit_code in (0, 1), r.output
    text = (tmp_path / "e.json").read_text()
    assert "args-in-tdx" in text and "rdx=0x200000002" in text


def test_setting_an_input_the_code_keeps_still_passes(tmp_path: Path) -> None:
    assert _gate_series(tmp_path, _messages("\t\targs->rdx = args->rdx;\n"))["verdict"] == "pass"


def test_a_scripts_inputs_are_in_the_struct_order(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(MATRIX + '\n[[script]]\nname = "in"\nanswers = ["OK"]\ninputs = { rdx = 0x20, rcx = 1 }\n')
    (script,) = [s for s in load_matrix(path).scripts if s.name == "in"]
    assert script.inputs == (("rcx", 1), ("rdx", 0x20))
    assert script.text == "OK; args in {rcx=0x1, rdx=0x20}"


@pytest.mark.parametrize(("inputs", "message"), [
    ("{ rcx = 1, rxd = 2 }", "unknown register 'rxd' (did you mean 'rdx'?)"),
    ("{ rcx = -1 }", "is negative"),
    ("{ rcx = 0x10000000000000000 }", "does not fit in 64 bits"),
    ('{ rcx = "OK" }', "must be an integer"),
])
def test_a_bad_input_is_refused_at_its_line(tmp_path: Path, inputs: str, message: str) -> None:
    text = MATRIX + f'\n[[script]]\nname = "in"\nanswers = ["OK"]\n\ninputs = {inputs}\n'
    path = tmp_path / "m.toml"
    path.write_text(text)
    with pytest.raises(InputError) as exc:
        load_matrix(path)
    assert message in str(exc.value)
    assert f"{path}:{text.splitlines().index(f'inputs = {inputs}') + 1}" in str(exc.value)
