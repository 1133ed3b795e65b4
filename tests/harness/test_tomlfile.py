"""TOML files read with errors that name the file and line, whatever their shape."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from harness.errors import InputError
from harness.tomlfile import load_toml
from tests.harness.exportgen import MATRIX
from tests.mailgen import demo_series, write_mbox

DEEP = {"arrays": "[" * 5000 + "]" * 5000, "inline tables": "{ a = " * 3000 + "1" + " }" * 3000}


@pytest.mark.parametrize("shape", DEEP)
def test_nesting_too_deep_for_tomllib_is_a_bad_toml_error_at_its_line(tmp_path: Path, shape: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(f"[[rule]]\nid = 'deep'\nvalue = {DEEP[shape]}\n")
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert str(caught.value) == f"{path}:3: bad TOML: arrays or inline tables nested too deep to read"


def test_nesting_tomllib_reads_is_read(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text("value = " + "[" * 50 + "1" + "]" * 50 + "\n")
    value = load_toml(path)[1]["value"]
    for _ in range(50):
        value = value[0]
    assert value == 1


@pytest.mark.parametrize("option", ["--rules", "--matrix"])
def test_gate_and_eval_refuse_it_in_one_line(tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main

    path = tmp_path / "deep.toml"
    path.write_text("[[rule]]\nid = 'deep'\nvalue = " + DEEP["arrays"] + "\n")
    box = write_mbox(tmp_path / "s.mbox", demo_series())
    (tmp_path / "m.toml").write_text(MATRIX)
    # The other file each needs is a good one: without rules the gate says so before reading the matrix.
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "moves"\nreviewer = "R"\nsummary = "s"\n'
                                     'severity = "warning"\n[rule.check]\nkind = "moves"\n')
    other = ["--matrix", str(tmp_path / "m.toml")] if option == "--rules" else ["--rules", str(tmp_path / "r.toml")]
    assert main(["gate", str(box), "--variant", "v2", option, str(path), *other]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"seamharness: {path}:3: bad TOML: arrays or inline tables nested too deep to read"


@pytest.mark.parametrize(("text", "where"), [
    ("[[entry]]\nname = 'seamcall'\nunits = ['tdx.c'\n", "3: bad TOML: unclosed array (at the end of the file)"),
    ("[codes]\nOK = ", "2: bad TOML: invalid value (at the end of the file)"),
    # tomllib's own "(at line 3, column 3)" said the line the place names a second time
    ("a = 1\nb = 2\n[c\n", "3: bad TOML: expected ']' at the end of a table declaration (column 3)"),
    ("[codes]\n# caf\xe9\n".encode("latin-1"), "2: bad TOML: not UTF-8 (byte 0xe9 at column 6)"),
    (b"\xff\xfe[codes]\n", "1: bad TOML: not UTF-8 (byte 0xff at column 1)"),
    # int() refuses it (a ValueError, no TOMLDecodeError): an internal error, exit 3
    ("[codes]\nOK = 0\n\nBIG = " + "9" * 5000 + "\n", "4: bad TOML: a number of more than 4300 digits"),
])
def test_an_error_at_the_end_or_a_byte_that_is_not_utf8_names_its_line(tmp_path: Path, text: str | bytes,
                                                                          where: str) -> None:
    # Both said no line: 'm.toml: bad TOML: Unclosed array ...', "'utf-8' codec can't decode byte 0xe9 ...".
    path = tmp_path / "m.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert str(caught.value) == f"{path}:{where}"


def test_an_endless_file_is_refused_after_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/dev/zero as --matrix was read whole: the memory filled (MemoryError, exit 3, or the OOM killer). A device is
    now refused before it is read (harness.special); a pipe that does not end is still read only to the cap."""
    from harness import tomlfile

    monkeypatch.setattr(tomlfile, "MAX_TOML_BYTES", 1 << 20)
    r, w = os.pipe()

    def write() -> None:  # ends when the reader closes its end (BrokenPipeError)
        with contextlib.suppress(BrokenPipeError), os.fdopen(w, "wb") as out:
            while True:
                out.write(bytes(65536))

    writer = threading.Thread(target=write)
    writer.start()
    try:
        with pytest.raises(InputError) as caught:
            load_toml(Path(f"/dev/fd/{r}"))
    finally:
        os.close(r)
        writer.join()
    assert str(caught.value) == f"/dev/fd/{r}: larger than 1 MiB: no matrix, manifest or rules file is"


def test_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    # A rules file saved by Notepad ("UTF-8 with BOM") read 'bad TOML: Invalid statement (at line 1, column 1)'.
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xef\xbb\xbf[[rule]]\nid = \"x\"\n")
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert str(caught.value) == (f"{path}:1: bad TOML: the file starts with a byte order mark (U+FEFF), which "
                                 "tomllib refuses: save it as UTF-8 without one")


def test_a_dotted_key_of_a_hundred_thousand_parts_is_refused_at_its_line(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # 'a.a.a....a = 1' (generated, 200 KB) before a matrix: tomllib checks each prefix of a dotted key (quadratic),
    # and eval and gate were still reading it after 240 s. Past 2,000 parts it is refused at its line; 2,000 are
    # read (0.05 s), and dots in a string value or a table's header are no key's parts. Counted, not timed: the
    # texts handed to tomllib (the key of 100,000 parts never is; handed, the test fails at once).
    import tomllib

    handed: list[int] = []
    real = tomllib.loads

    def loads(text: str, **kwargs: Any) -> dict[str, Any]:
        handed.append(len(text))
        assert len(text) < 100_000, "tomllib handed the key of 100,000 parts"
        return real(text, **kwargs)

    monkeypatch.setattr(tomllib, "loads", loads)
    path = tmp_path / "m.toml"
    path.write_text("x = 'a.b'\n" + ".".join(["a"] * 100_000) + " = 1\n")
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert handed == []
    assert str(caught.value) == f"{path}:2: bad TOML: a dotted key of 100,000 parts (more than 2,000 are not read)"
    path.write_text(".".join(["a"] * 2000) + " = 1\n" + "s = '" + "." * 5000 + "'\nt = \'\'\'\n" + "." * 5000
                    + "\n\'\'\'\n[" + ".".join(["b"] * 3000) + "]\n")
    data = load_toml(path)[1]
    assert data["s"] == data["t"].strip() == "." * 5000 and "a" in data and "b" in data


def test_a_json_file_given_as_toml_is_said_as_tomllib_says_it(tmp_path: Path) -> None:
    # A JSON report of one long line given as --matrix: 'bad TOML: a dotted key of 4,137 parts' (its dots before an
    # '=' in a string counted as a key's), where tomllib stops at the line's first character.
    path = tmp_path / "r.json"
    path.write_text('{"schema": "x", "a": "' + "." * 3000 + ' = 1"}\n')
    with pytest.raises(InputError) as caught:
        load_toml(path)
    assert str(caught.value) == f"{path}:1: bad TOML: invalid statement (column 1)"
