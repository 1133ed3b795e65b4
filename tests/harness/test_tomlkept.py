"""harness.tomlkept: the bundled series' TOML data kept as tomllib reads it; any other text read by tomllib."""

from __future__ import annotations

import tomllib
from pathlib import Path

from harness import tomlkept
from harness.tomlfile import parse_toml


def test_every_bundled_file_is_kept_as_tomllib_reads_it() -> None:
    # Fails after a bundled .toml is edited: run `python -m harness.tomlkept` (its data is read by tomllib meanwhile).
    assert tomlkept.bundled()
    assert tomlkept.table() == tomlkept.kept_table()
    for path in tomlkept.bundled():
        text = path.read_text(encoding="utf-8")
        data = tomlkept.kept(text)
        assert data is not None, path
        assert tomlkept.same(data, tomllib.loads(text)), path
        assert tomlkept.same(parse_toml(path, text), tomllib.loads(text)), path


def test_another_text_is_read_by_tomllib() -> None:
    path = tomlkept.bundled()[0]
    text = "edited = 1.0\n" + path.read_text(encoding="utf-8")
    assert tomlkept.kept(text) is None
    data = parse_toml(path, text)
    assert tomlkept.same(data, tomllib.loads(text)) and type(data["edited"]) is float


def test_each_call_gives_data_of_its_own() -> None:
    text = tomlkept.bundled()[0].read_text(encoding="utf-8")
    first = parse_toml(Path("m.toml"), text)
    first.clear()
    assert parse_toml(Path("m.toml"), text) == tomllib.loads(text)


def test_only_data_json_gives_back_whole_is_kept() -> None:
    assert tomlkept.keepable(tomllib.loads('a = 1\nb = 1.0\nc = true\nd = [1, "x"]\n[t]\ne = "f"\n'))
    assert not tomlkept.keepable(tomllib.loads("a = 1979-05-27\n"))
    assert not tomlkept.keepable(tomllib.loads("a = nan\n"))
    assert not tomlkept.same({"a": 1}, {"a": 1.0}) and not tomlkept.same({"a": 1}, {"a": True})
    assert not tomlkept.same({"a": 1, "b": 2}, {"b": 2, "a": 1})  # the order of a table's keys is kept too
