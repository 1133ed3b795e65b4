"""The matrix file: expansion, answers with registers, and errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import InputError
from harness.matrix import Entry, EntryKind, load_matrix
from harness.rules import Selector
from tests.harness.variantgen import MATRIX, matrix


def test_expansion_and_ids(tmp_path: Path) -> None:
    m = matrix(tmp_path)
    assert [s.name for s in m.scripts] == ["ok", "busy-x1", "busy-x5", "fail"]
    assert len(m.scenarios) == 2 * 2 * 4
    s = m.scenario("demo_prerr/BIG/busy-x5/demo.c")
    assert s.leaf == 0x8000000000000002 and s.unit.path == "demo/demo.c"
    assert [a.code for a in s.script.answers] == [0x8000000000000010] * 5 + [0]


def test_registers_leaves_filter_and_extra(tmp_path: Path) -> None:
    text = MATRIX + """
[[script]]
name = "regs"
answers = [{ code = "FAIL", rcx = 7 }]
leaves = ["ONE"]

[[scenario]]
entry = "demo_retry"
leaf = "BIG"
script = "regs"
"""
    m = matrix(tmp_path, text)
    regs = [s for s in m.scenarios if s.script.name == "regs"]
    assert [s.id for s in regs] == ["demo_retry/ONE/regs/demo.c", "demo_prerr/ONE/regs/demo.c",
                                    "demo_retry/BIG/regs/demo.c"]
    assert regs[0].script.answers[0].regs == (("rcx", 7),)


def test_a_scripts_numbers_are_said_in_hex(tmp_path: Path) -> None:
    # The page's 'answers {code=OPERAND_INVALID, rcx=1, rdx=32, r8=768}' for the matrix's 'rdx = 0x20, r8 = 0x300':
    # registers and status codes in decimal, where the kernel prints them in hex.
    text = MATRIX + """
[[script]]
name = "regs"
answers = [{ code = "FAIL", rcx = 0x20 }, 0x8000000000000010, "OK"]
"""
    script = next(s for s in matrix(tmp_path, text).scripts if s.name == "regs")
    assert script.text == "{code=FAIL, rcx=0x20}, 0x8000000000000010, OK"


@pytest.mark.parametrize(("change", "message", "line_of"), [
    ('answers = ["OK"]', 'answers = ["BUSSY"]', "unknown code 'BUSSY' (did you mean 'BUSY'?); known: OK, BUSY, "
     "FAIL (or define it under [codes])"),
    ('answers = ["FAIL"]', 'answers = [{ code = "FAIL", rcz = 1 }]', "unknown register 'rcz' (did you mean 'rcx'?); "
     "known: rcx, rdx"),
    # A table with registers and no code was said as 'answer must be an integer, not None'.
    ('answers = ["FAIL"]', 'answers = [{ rcx = 1 }]', "an answer table needs a 'code' (the status in rax): {'rcx': 1}"),
    ('BUSY = 0x8000000000000010', 'BUSY = 0x18000000000000010', "does not fit in 64 bits"),
    # Written -33, it was said as '-0x21 does not fit in 64 bits'.
    ('ONE = 1', 'ONE = -33', "leaves.ONE -33 is negative: a code, leaf or register is 0 to 0xffffffffffffffff"),
    ('name = "demo_prerr"', 'name = "demo_prerr"\nunits = ["demo.cc"]', "entry demo_prerr: unknown unit 'demo.cc' "
     "(did you mean 'demo.c'?); known: demo.c"),
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nleaf = "ONE"\nscript = "fial"\n[[script]]',
     "scenario: unknown script 'fial' (did you mean 'fail'?); known: ok, busy-x1, busy-x5, fail"),
    ('[[script]]', '[[scenario]]\nentry = "demo_retri"\nleaf = "ONE"\nscript = "ok"\n[[script]]',
     "scenario: unknown entry 'demo_retri' (did you mean 'demo_retry'?); known: demo_retry, demo_prerr"),
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nleaf = "TWO"\nscript = "ok"\n[[script]]',
     "scenario: unknown leaf 'TWO'"),
    ('[leaves]', '[leaves\n', "bad TOML"),
    # A script no answer is left in, and a name two scripts share (one of them would never run).
    ('answers = ["OK"]', 'answers = ["OK*0"]', "script ok: no answer left (OK*0)"),
    ('name = "fail"', 'name = "ok"', "script ok is given twice"),
    # Every key is one the format has (a misspelt one would be ignored: an entry run in every unit, an empty
    # [match], extra scenarios never run), of its type.
    ('name = "demo_prerr"', 'name = "demo_prerr"\nunit = ["demo.c"]', "unknown key 'entry.unit' (did you mean "
     "'units'?)"),
    ('[[script]]', '[[scenarios]]\nentry = "demo_retry"\n[[script]]', "unknown key 'scenarios' (did you mean "
     "'scenario'?)"),
    ('name = "demo.c"', 'nmae = "demo.c"', "unknown key 'unit.nmae' (did you mean 'name'?)"),
    ('name = "demo_retry"', 'name = 42', "'entry.name' must be a string, not an integer (42)"),
    # A name a scenario id (entry/leaf/script/unit) cannot hold apart: leaf "A/B" with script "C" and leaf "A" with
    # script "B/C" were one id, and their outcomes one.
    ('ONE = 1', '"ONE/TWO" = 1', "leaf name 'ONE/TWO': letters, digits and _ . + - only"),
    ('name = "fail"', 'name = "fail now"', "script name 'fail now': letters, digits and _ . + - only"),
    ('name = "demo.c"', 'name = "demo/c"', "unit name 'demo/c': letters, digits and _ . + - only"),
    # A unit name of 10 MB (generated) ran: eval 60 s and 1.6 GB, each scenario id and row holding it.
    ('name = "demo.c"', f'name = "{"u" * 10_000_000}"', f"unit name {'u' * 40!r}... (10,000,000 characters): "
     "letters, digits and _ . + - only, at most 200 of them"),
    # Bounded whatever a few bytes ask for: a script's answers, and the whole matrix.
    ('answers = ["OK"]', 'answers = ["OK*3000000"]', "OK*3000000: a script holds at most 10000 answers"),
    ("repeat_first = [1, 5]", "repeat_first = [1, 200000000]", "repeat_first holds at most 10000 counts, each 0 to"),
    ('repeat_first = [1, 5]', f'repeat_first = {[9999 - i for i in range(200)]}', "more than 1000000 answers in all"),
    ('[leaves]', "[leaves]\n" + "".join(f"L{i} = {i}\n" for i in range(24999)),
     "expands to 200008 scenarios (at most 200000)"),
])
def test_errors_name_file_and_line(tmp_path: Path, change: str, message: str, line_of: str) -> None:
    path = tmp_path / "m.toml"
    path.write_text(MATRIX.replace(change, message, 1))
    with pytest.raises(InputError) as info:
        load_matrix(path)
    assert line_of in str(info.value)
    assert str(info.value).startswith(f"{path}:")
    assert info.value.where is not None and info.value.where.line > 0


def test_bundled_matrix_loads() -> None:
    m = load_matrix(Path(__file__).resolve().parents[2] / "series" / "p-seamldr" / "matrix.toml")
    scripts = {s.name for s in m.scripts}
    assert {"success", "tdx-no-entropy-x11", "seamldr-no-entropy-x10", "vmfailinvalid", "gp", "ud"} <= scripts
    assert {e.name for e in m.entries} == {"seamcall", "seamcall_ret", "seamcall_saved_ret", "seamcall_prerr",
                                           "seamcall_prerr_ret", "seamldr_prerr"}


def test_the_example_of_docs_matrix_md_loads(tmp_path: Path) -> None:
    # A reader copies the example to start a matrix: its [[scenario]] named an entry it does not declare (and
    # then one its grid has).
    doc = (Path(__file__).resolve().parents[2] / "docs" / "matrix.md").read_text()
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "matrix.toml").write_text(example)
    m = load_matrix(tmp_path / "matrix.toml")
    ids = [s.id for s in m.scenarios]
    assert "seamcall_prerr/SEAMLDR_INSTALL/tdx-no-entropy-x1/seamldr.c" in ids and len(set(ids)) == len(ids)


@pytest.mark.parametrize("twice", [False, True])
def test_an_extra_scenario_the_matrix_already_has_is_refused(tmp_path: Path, twice: bool) -> None:
    # Kept, it made two scenarios of one id: report.json held its rows twice, each under the same id.
    row = '\n[[scenario]]\nentry = "demo_retry"\nleaf = "{leaf}"\nscript = "regs"\n'
    text = MATRIX + '\n[[script]]\nname = "regs"\nanswers = ["FAIL"]\nleaves = ["ONE"]\n'
    text += row.format(leaf="BIG") * 2 if twice else row.format(leaf="ONE")
    with pytest.raises(InputError) as info:
        matrix(tmp_path, text)
    line = text.count("\n", 0, text.rindex("[[scenario]]")) + 1  # the row's own, not the [[entry]]'s
    assert str(info.value) == (f"{tmp_path / 'matrix.toml'}:{line}: scenario demo_retry/{'BIG' if twice else 'ONE'}"
                               "/regs/demo.c is already in the matrix (each entry x leaf x script x unit of its "
                               "units): an extra scenario is one the grid leaves out")


def test_an_entry_point_fed_no_leaf_runs_once_per_kind_of_leaf(tmp_path: Path) -> None:
    # int demo_probe(struct tdx_module_args *) ran under every leaf: the same code three times per script, the
    # counts of its scenarios (and every report's) tripled. Once per script for each kind (bit 63) now.
    text = MATRIX.replace("BIG = ", "TWO = 2\nBIG = ") + '\n[[entry]]\nname = "demo_probe"\nargs = ["args"]\n'
    m = matrix(tmp_path, text)
    probe = [s.id for s in m.scenarios if s.entry.name == "demo_probe"]
    assert probe == [f"demo_probe/{leaf}/{script}/demo.c" for leaf in ("ONE", "BIG")
                     for script in ("ok", "busy-x1", "busy-x5", "fail")], probe
    assert len([s for s in m.scenarios if s.entry.name == "demo_retry"]) == 3 * 4  # a leaf it is fed: each
    # Found in the code (no parameter at all), it runs so too; a script taking one leaf runs under it.
    m = matrix(tmp_path, text.replace('name = "fail"\n', 'name = "fail"\nleaves = ["TWO"]\n'))
    found = m.with_entries([Entry("demo_init", ("demo.c",), (), EntryKind.DISCOVERED, "demo/h.h:3")], [])
    assert [s.id for s in found.scenarios if s.entry.name == "demo_init"] == [
        "demo_init/ONE/ok/demo.c", "demo_init/ONE/busy-x1/demo.c", "demo_init/ONE/busy-x5/demo.c",
        "demo_init/TWO/fail/demo.c", "demo_init/BIG/ok/demo.c", "demo_init/BIG/busy-x1/demo.c",
        "demo_init/BIG/busy-x5/demo.c"]


def test_an_entry_point_runs_under_the_leaves_the_matrix_names(tmp_path: Path) -> None:
    text = MATRIX.replace("BIG = ", "TWO = 2\nBIG = ") + '\n[[entry]]\nname = "demo_probe"\nargs = ["args"]\n'
    m = matrix(tmp_path, text + 'leaves = ["TWO", "BIG"]\n')
    assert {s.leaf_name for s in m.scenarios if s.entry.name == "demo_probe"} == {"TWO", "BIG"}
    m = matrix(tmp_path, text.replace('name = "demo_retry"\n', 'name = "demo_retry"\nleaves = ["BIG"]\n'))
    assert {s.leaf_name for s in m.scenarios if s.entry.name == "demo_retry"} == {"BIG"}
    with pytest.raises(InputError) as info:
        matrix(tmp_path, text + 'leaves = ["TOW"]\n')
    assert "entry demo_probe: unknown leaf 'TOW' (did you mean 'TWO'?)" in str(info.value)


def test_a_rule_on_a_leaf_picks_the_run_of_an_entry_point_fed_none_that_stands_for_it(tmp_path: Path) -> None:
    # Run once under ONE for the leaves of its kind, int demo_probe(void) fell out of a rule on TWO: a rule that
    # judged it under TWO (and failed on it) would pass without it.
    text = MATRIX.replace("BIG = ", "TWO = 2\nBIG = ") + '\n[[entry]]\nname = "demo_probe"\nargs = []\n'
    probe = [s for s in matrix(tmp_path, text).scenarios if s.entry.name == "demo_probe"]
    assert {(s.leaf_name, s.stands_for) for s in probe} == {("ONE", ("TWO",)), ("BIG", ())}
    assert [s.id for s in probe if Selector(entry=("demo_probe",), leaf=("TWO",)).picks(s)] == [
        f"demo_probe/ONE/{script}/demo.c" for script in ("ok", "busy-x1", "busy-x5", "fail")]
    assert all(s.of_leaf({"TWO"}) == (s.leaf_name == "ONE") for s in probe)
    assert not [s for s in probe if Selector(entry=("demo_probe",), leaf=("B*",)).picks(s) and s.leaf_name != "BIG"]


@pytest.mark.parametrize("table, name, said", [
    ("[[entry]]", "demo_retry", "entry demo_retry is given twice"),
    ("[[unit]]", "demo.c", "unit demo.c is given twice"),
    ("[[script]]", "ok", "script ok is given twice"),
])
def test_a_name_given_twice_is_refused_at_its_second_table(tmp_path: Path, table: str, name: str, said: str) -> None:
    # An [[entry]] or [[unit]] given twice was taken twice: every scenario id twice (36 scenarios, 24 distinct;
    # counts and 'not provided' inflated), and a script given twice was said at its first table, not the one to
    # remove.
    path = tmp_path / "m.toml"
    text = MATRIX + f'\n{table}\nname = "{name}"\n' + ('answers = ["OK"]\n' if table == "[[script]]" else "")
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_matrix(path)
    second = text.splitlines().index(f'name = "{name}"', text.splitlines().index(f'name = "{name}"') + 1) + 1
    assert str(info.value).startswith(f"{path}:{second}: {said}")


_ENTRIES = ('[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n\n[[entry]]\nname = "demo_retry"\n\n'
            '[[entry]]\nname = "demo_prerr"')


@pytest.mark.parametrize(("change", "message", "key"), [
    # An unknown name of an extra scenario was said at its [[scenario]] header, not at the key that gives it.
    ('[[script]]', '[[scenario]]\nentry = "demo_retri"\nleaf = "ONE"\nscript = "ok"\n[[script]]',
     'entry = "demo_retri"'),
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nleaf = "TWO"\nscript = "ok"\n[[script]]', 'leaf = "TWO"'),
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nleaf = "ONE"\n\nscript = "fial"\n[[script]]',
     'script = "fial"'),
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nleaf = "ONE"\nscript = "ok"\nunit = "demo.cc"\n[[script]]',
     'unit = "demo.cc"'),
    # The same name given to another key before it, a row's other keys: only the key named is its place.
    ('[[script]]', '[[scenario]]\nentry = "demo_retry"\nscript = "ok"\n# leaf = "TWO"\nleaf = "TWO"\n[[script]]',
     'leaf = "TWO"\n[[script]]'),
    # A row of an inline array of tables: the key of that row.
    ('[codes]', 'scenario = [\n  { entry = "demo_retry", leaf = "TWO", script = "ok" }]\n\n[codes]', 'leaf = "TWO"'),
    # An entry's unit or leaf: the line of the key, also in a list written over several lines.
    ('name = "demo_prerr"', 'name = "demo_prerr"\nargs = ["fn", "args"]\nunits = ["demo.cc"]', 'units = ["demo.cc"]'),
    ('name = "demo_prerr"', 'name = "demo_prerr"\nleaves = [\n  "ONE",\n  "TWWO",\n]', '"TWWO"'),
    # The entry's name quoted before its [[entry]] (a [match] list, a comment): the key is in the entry's own table,
    # not at the first place the name is quoted (the search started there and said the [match] line).
    (_ENTRIES, '[match]\nidentifiers = ["demo_prerr"]\n\n' + _ENTRIES + '\nunits = ["demo.cc"]', 'units = ["demo.cc"]'),
    (_ENTRIES, '# "demo_prerr" logs the error\n' + _ENTRIES + '\nleaves = ["TWWO"]', 'leaves = ["TWWO"]'),
    # A feed that is none: at its args key, not at the entry's name.
    ('name = "demo_prerr"', 'name = "demo_prerr"\nunits = ["demo.c"]\nargs = ["fn", "argz"]', 'args = ['),
])
def test_an_unknown_name_is_said_at_the_line_of_its_key(tmp_path: Path, change: str, message: str, key: str) -> None:
    path = tmp_path / "m.toml"
    text = MATRIX.replace(change, message, 1)
    path.write_text(text)
    with pytest.raises(InputError) as info:
        load_matrix(path)
    line = text.count("\n", 0, text.rindex(key)) + 1
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", ["/etc/passwd", "../../../../etc/passwd", "demo/../../x.c", "", "  "])
def test_a_unit_path_outside_the_tree_is_refused_at_its_line(tmp_path: Path, bad: str) -> None:
    # A unit's path names a file of the tree as git does; before, '/etc/passwd' and '../..' were taken (exit 0).
    path = tmp_path / "m.toml"
    path.write_text(MATRIX.replace('path = "demo/demo.c"', f'path = "{bad}"', 1))
    line = MATRIX.splitlines().index('path = "demo/demo.c"') + 1
    with pytest.raises(InputError, match="is not a file inside the tree") as e:
        load_matrix(path)
    assert str(e.value).startswith(f"{path}:{line}: unit 'demo.c'"), str(e.value)


def test_a_unit_path_inside_the_tree_loads(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text(MATRIX.replace('path = "demo/demo.c"', 'path = "demo/sub..dir/demo.c"', 1))
    assert {u.path for u in load_matrix(path).units} == {"demo/sub..dir/demo.c"}


def _many_scripts(count: int, again: str | None = None) -> str:
    scripts = "".join(f'[[script]]\nname = "g{i}"\nanswers = ["BUSY*{i % 5}", "OK"]\n' for i in range(count))
    inputs = '[[script]]\nname = "with-rdx"\nanswers = ["OK"]\n[script.inputs]\nrdx = 7\n'
    return MATRIX + scripts + inputs + (f'[[script]]\nname = "{again}"\nanswers = ["OK"]\n' if again else "")


def test_a_matrix_of_thousands_of_scripts_is_read_whole(tmp_path: Path) -> None:
    # Each script split the whole text again (its inputs' lines) and each name was looked for among all before it:
    # 4,000 scripts took 5.8 s to load, 20,000 past 240 s. Read in one pass now: every script, its inputs, and a
    # script given again is still said at its second line.
    m = matrix(tmp_path, _many_scripts(3_000))
    assert len(m.scripts) == 4 + 3_000 + 1 and m.scripts[-1].inputs == (("rdx", 7),)
    assert len(m.scenarios) == 2 * 2 * len(m.scripts)
    path = tmp_path / "again.toml"
    path.write_text(text := _many_scripts(3_000, again="g2999"))
    with pytest.raises(InputError) as info:
        load_matrix(path)
    second = len(text.splitlines()) - 1  # the last script's name line
    assert str(info.value) == f"{path}:{second}: script g2999 is given twice"


def test_entry_points_a_series_adds_count_toward_the_scenarios_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    # 20,000 scripts of one entry point (80,000 scenarios, under the limit) became 960,000 with the six entry points
    # the series' code adds: 27.6 s of CPU and 1.55 GB, where the file alone is refused past 200,000.
    import harness.matrix as matrix_module

    m = matrix(tmp_path)  # 2 entries x 2 leaves x 4 scripts
    monkeypatch.setattr(matrix_module, "MAX_SCENARIOS", 30)
    extra = [Entry("demo_more", ("demo.c",), ("fn",), kind=EntryKind.DISCOVERED)]
    assert len(m.with_entries(extra, []).scenarios) == 16 + 8
    with pytest.raises(InputError) as info:
        m.with_entries([*extra, Entry("demo_most", ("demo.c",), ("fn",), kind=EntryKind.DISCOVERED)], [])
    assert str(info.value) == (f"{tmp_path / 'matrix.toml'}:1: the matrix expands to 32 scenarios with the 2 entry "
                               "points the series adds (demo_more, demo_most): at most 30 are run")


def test_the_scenario_count_is_what_expansion_makes() -> None:
    # The limit counted entries x units x every leaf x scripts: 16,000 scripts each run under one of 24 leaves were
    # 384,000 and refused, where 16,000 run. The oracle: the scenarios _expand makes, over random matrices.
    import random

    from harness.matrix import Script, Unit, _count, _expand

    rng = random.Random(32)
    names = [f"L{i}" for i in range(6)]
    for _ in range(300):
        leaves = {n: rng.choice([1, 2, 3, 1 << 63, (1 << 63) | 5]) + i for i, n in enumerate(names)}
        pick = lambda: tuple(rng.sample(names, rng.randrange(1, 4))) if rng.random() < 0.5 else None  # noqa: E731
        entries = [Entry(f"e{i}", tuple(f"u{j}" for j in range(rng.randrange(1, 3))),
                         rng.choice([("fn", "args"), ("args",), ()]), leaves=pick()) for i in range(3)]
        scripts = [Script(f"s{i}", (), "", leaves=pick()) for i in range(4)]
        units = (Unit("u0", "u0.c"), Unit("u1", "u1.c"))
        assert _count(entries, leaves, scripts) == len(_expand(entries, leaves, scripts, units))


def test_a_script_run_under_one_leaf_counts_once_toward_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    import harness.matrix as matrix_module

    # 2 entries x 2 leaves x 4 scripts (busy is two) were counted (16, refused), where 12 run: two scripts each
    # take one leaf.
    monkeypatch.setattr(matrix_module, "MAX_SCENARIOS", 13)
    text = MATRIX.replace('answers = ["OK"]', 'answers = ["OK"]\nleaves = ["ONE"]')
    text = text.replace('answers = ["FAIL"]', 'answers = ["FAIL"]\nleaves = ["BIG"]')
    m = matrix(tmp_path, text)
    assert len(m.scenarios) == 2 * (1 + 2 + 2 + 1)
    monkeypatch.setattr(matrix_module, "MAX_SCENARIOS", 11)
    with pytest.raises(InputError, match="expands to 12 scenarios"):
        matrix(tmp_path, text)


@pytest.mark.parametrize(("change", "message"), [
    ('answers = ["OK"]', 'answers = ["BUSSY"]'),  # an unknown code
    ('answers = ["OK"]', 'answers = ["OK*3000000"]'),  # too many answers
    ('name = "ok"\nanswers = ["OK"]', 'answers = [\n  "OK",\n  "BUSSY",\n]\nname = "ok"'),  # answers before the name
    # A list over several lines: the value's own line, not the list's (h514 left it at 'answers = [').
    ('answers = ["OK"]', 'answers = [\n  "OK",\n  "BUSSY*2",\n]'),
    ('answers = ["OK"]', 'answers = [\n  { code = "OK" },\n  { code = "BUSSY", rcx = 1 },\n]'),
])
def test_an_answers_error_is_said_at_the_answers_not_at_the_scripts_name(tmp_path: Path, change: str,
                                                                         message: str) -> None:
    # Before: 'm.toml:63: unknown code 'BUSSY'', the line of the script's name = "ok", the answers on the next one.
    path = tmp_path / "m.toml"
    path.write_text(MATRIX.replace(change, message, 1))
    with pytest.raises(InputError) as info:
        load_matrix(path)
    lines = path.read_text().splitlines()
    bad = next(w for w in ('"BUSSY', '"OK*3000000"') if w in message)
    assert info.value.where is not None and bad in lines[info.value.where.line - 1], info.value
