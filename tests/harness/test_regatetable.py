"""harness.regate._Table: the kept gates read one value at a time, as the whole file's JSON reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness import regate


def test_every_value_is_the_whole_files() -> None:
    for path in (regate._FILE, regate._FIRSTS_FILE):
        whole = json.loads(path.read_text(encoding="utf-8"))
        table = regate._Table(path)
        assert whole and all(table.get(k) == v and table[k] == v for k, v in whole.items())


def test_a_key_absent_or_unreadable_is_no_entry(tmp_path: Path) -> None:
    path = tmp_path / "gates.json"
    path.write_text('{"aa11":["&","drop","patch"],"bb22":"nak","cc33":["|","x"', encoding="utf-8")  # cut short
    table = regate._Table(path)
    assert table.get("aa11") == ["&", "drop", "patch"] and table.get("bb22") == "nak"
    assert table.get("cc33") is None and table.get("dd44") is None and table.get("drop") is None
    with pytest.raises(KeyError):
        table["dd44"]
    assert table.get("dd44", "none") == "none"
    # a word of a value is never read as a key (a value's strings are followed by "," or "]", never ":")
    assert table.get('patch"]') is None


def test_a_file_that_is_no_table_has_no_entry(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text('["aa11", "x"]', encoding="utf-8")
    assert regate._Table(tmp_path / "list.json").get("aa11") is None
    assert regate._Table(tmp_path / "absent.json").get("aa11") is None
