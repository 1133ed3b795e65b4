"""The outcome cache: a second run on unchanged code executes nothing and yields the same outcomes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness import outcome_cache
from harness.filestate import full_file
from harness.outcome_cache import OutcomeCache
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.variants import Variant
from tests.harness.variantgen import HELPER, MATRIX, matrix, variant


def _run(tmp_path: Path, vs: tuple[Variant, ...], cache: bool = True) -> MatrixResult:
    return run_matrix(MatrixRequest(vs, matrix(tmp_path), jobs=1,
                                    cache=OutcomeCache(tmp_path / "cache") if cache else None))


def _same(a: MatrixResult, b: MatrixResult) -> bool:
    return all(a.outcomes_of(v.name) == b.outcomes_of(v.name) for v in a.variants) and a.load_errors == b.load_errors


def test_second_run_executes_nothing(tmp_path: Path) -> None:
    vs = (variant("a"), variant("b", tries=5, fmt="%#llx"))
    first = _run(tmp_path, vs)
    second = _run(tmp_path, vs)
    assert first.executed == 32 and first.cached == 0
    assert second.executed == 0 and second.cached == 32 and second.reused == first.reused
    assert _same(second, first) and _same(second, _run(tmp_path, vs, cache=False))


def test_a_changed_function_reruns_only_what_reaches_it(tmp_path: Path) -> None:
    _run(tmp_path, (variant("a"),))
    r = _run(tmp_path, (variant("a", fmt="%#llx"),))
    # demo_retry's 8 scenarios come from the cache; demo_prerr reaches the changed printk and reruns.
    assert (r.executed, r.cached) == (8, 8)
    assert r.outcome("a", "demo_prerr/ONE/fail/demo.c").log[0].text.startswith("DEMO (0x1) failed")


def test_damaged_entries_are_misses(tmp_path: Path) -> None:
    vs = (variant("a"),)
    first = _run(tmp_path, vs)
    files = list((tmp_path / "cache").rglob("*.json"))
    assert files
    for n, f in enumerate(files):
        f.write_text(['{"key": "other", "outcomes": []}', "not json", '{"outcomes": [{"status": 1}]}'][n % 3])
    again = _run(tmp_path, vs)
    assert again.executed == first.executed and again.cached == 0 and _same(again, first)



def test_entries_nested_past_jsons_depth_are_misses(tmp_path: Path) -> None:
    """json.loads raises RecursionError (no ValueError) for them: an internal error of eval, exit 3."""
    vs = (variant("a"),)
    first = _run(tmp_path, vs)
    files = list((tmp_path / "cache").rglob("*.json"))
    for f in files:
        f.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    assert OutcomeCache(tmp_path / "cache").usage().entries == len(files)  # seamharness cache opens no entry
    again = _run(tmp_path, vs)
    assert again.executed == first.executed and again.cached == 0 and _same(again, first)

def test_a_changed_mirror_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tmp_path, (variant("a"),))
    monkeypatch.setattr(outcome_cache, "mirror_version", lambda: "a-newer-mirror")
    assert _run(tmp_path, (variant("a"),)).cached == 0


def test_a_load_error_fails_cached_groups_as_an_uncached_run_would(tmp_path: Path) -> None:
    _run(tmp_path, (variant("a"),))
    bomb = "#define A0 x x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 40))
    text = bomb + variant("bad").files[0].text.replace("return ret ? -EIO : 0;", "return ret ? A39 : 0;")
    bad = (Variant("bad", "d", (full_file(HELPER, text, "t"),), (), (), (), "t"),)
    cached, plain = _run(tmp_path, bad), _run(tmp_path, bad, cache=False)
    assert cached.outcome("bad", "demo_retry/ONE/ok/demo.c").status == "error"
    assert cached.cached == 0 and _same(cached, plain)


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    vs = (variant("a"),)
    assert _same(_run(tmp_path, vs), _run(tmp_path, vs, cache=False))


def test_usage_prune_and_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _run(tmp_path, (variant("a"),))
    store = OutcomeCache(tmp_path / "cache")
    (tmp_path / "cache" / "notes.json").write_text("a file the cache did not write")
    fresh = store.usage()
    assert fresh.entries > 0 and fresh.stale == 0 and fresh.size > 0
    assert store.prune() == 0
    monkeypatch.setattr(outcome_cache, "mirror_version", lambda: "a-newer-mirror")
    assert store.usage().stale == fresh.entries
    _run(tmp_path, (variant("a", tries=4),))  # some entries of the newer mirror
    newer = store.usage()
    assert store.prune() == fresh.entries and store.usage().entries == newer.entries - fresh.entries
    assert store.prune(everything=True) == newer.entries - fresh.entries and store.usage().entries == 0
    assert (tmp_path / "cache" / "notes.json").exists()


def test_cache_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from harness.cli import app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    run_matrix(MatrixRequest((variant("a"),), matrix(tmp_path), jobs=1,
                             cache=OutcomeCache(outcome_cache.default_cache_dir())))
    r = CliRunner().invoke(app, ["cache"])
    assert r.exit_code == 0 and ", 0 stale" in r.output and " 0 entries" not in r.output
    assert " 0.0 MB" not in r.output and re.search(r" entries, \d+(\.\d)? kB \(at most 512.0 MB", r.output)  # a few kB
    # Before: "N stale", saying neither what they are nor what to do.
    monkeypatch.setattr(outcome_cache, "mirror_version", lambda: "a-newer-mirror")
    r = CliRunner().invoke(app, ["cache"])
    assert r.exit_code == 0 and re.search(r", [1-9]\d* stale \(written by another version of the mirror: never read, "
                                          r"--prune removes them\)", " ".join(r.output.split())), r.output
    r = CliRunner().invoke(app, ["cache", "--clear"])
    assert r.exit_code == 0 and ": 0 entries, 0 B (at most " in r.output


def test_trim_removes_the_least_recently_used_down_to_a_share_of_the_limit(tmp_path: Path) -> None:
    # ccache's max_size: the cache never grows past its limit; a hit keeps an entry, a file it did not write stays.
    import os

    _run(tmp_path, (variant("a"),))
    store = OutcomeCache(tmp_path / "cache")
    (tmp_path / "cache" / "notes.json").write_text("a file the cache did not write")
    entries = sorted(p for p in (tmp_path / "cache").glob("*/??/*.json"))
    for n, path in enumerate(entries):  # written in this order, a second apart
        os.utime(path, ns=(10**18 + n * 10**9, 10**18 + n * 10**9))
    size = store.usage().size
    assert store.trim(limit=size) == 0 and store.usage().entries == len(entries)
    oldest = entries[0]
    key = oldest.stem
    data = json.loads(oldest.read_text().partition("\n")[0])
    got = store.get_group(key, len(data["index"])) if "index" in data else store.get_data(key)
    assert got is not None  # a hit: now the most recently used
    removed = store.trim(limit=size - 1)
    assert 0 < removed < len(entries) and store.usage().size <= (size - 1) * outcome_cache.TRIM_TO
    assert oldest.exists() and not entries[1].exists() and (tmp_path / "cache" / "notes.json").exists()


def test_a_run_that_writes_holds_the_cache_to_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _run(tmp_path, (variant("a"),))
    size = OutcomeCache(tmp_path / "cache").usage().size
    monkeypatch.setattr(outcome_cache, "MAX_CACHE_BYTES", size)
    second = _run(tmp_path, (variant("a", tries=5),))  # new entries: past the limit, the oldest go
    assert OutcomeCache(tmp_path / "cache").usage().size <= size
    assert second.executed > 0 and _same(_run(tmp_path, (variant("a"),)), first)  # a miss reruns, same outcomes


def test_an_entry_that_cannot_be_removed_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capfd: pytest.CaptureFixture[str]) -> None:
    from harness.cli import main

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    run_matrix(MatrixRequest((variant("a"),), matrix(tmp_path), jobs=1,
                             cache=OutcomeCache(outcome_cache.default_cache_dir())))

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    assert main(["cache", "--clear"]) == 2
    lines = capfd.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"seamharness: {outcome_cache.default_cache_dir()}/")
    assert "cannot remove: permission denied" in lines[0]


def test_outcome_dict_round_trip_keeps_every_field_and_order() -> None:
    from models.machine import Event, LogLine, SeamCall
    from models.mirror import Outcome, outcome_from_dict, outcome_to_dict

    o = Outcome("ok", (SeamCall("__seamldr_call", 0x8000000000000001, "P-SEAMLDR", 5, 1, True,
                                (("zeta", 1), ("alpha", 2)), "x.c:3"),),
                -5, "int", "EIO", (LogLine("err", "seamldr: failed"),), (Event("percpu", "zeta=1", "x.c:4"),),
                (("rdx", 7), ("rcx", 9)), None)
    assert outcome_from_dict(outcome_to_dict(o)) == o


def test_outcome_dict_leaves_defaults_out_and_puts_them_back() -> None:
    # Schema 3: only status is always written; a void function's quiet run is {"status": "ok"}, and a value
    # that merely looks empty (ret 0, a "" errno) is a value, kept.
    from models.mirror import Outcome, OutcomeStatus, outcome_from_dict, outcome_to_dict

    void = Outcome(OutcomeStatus.OK)
    assert outcome_to_dict(void) == {"status": "ok"}
    assert outcome_from_dict({"status": "ok"}) == void
    zero = Outcome(OutcomeStatus.OK, ret=0, ret_type="int", errno="")
    assert outcome_to_dict(zero) == {"status": "ok", "ret": 0, "ret_type": "int", "errno": ""}
    assert outcome_from_dict(outcome_to_dict(zero)) == zero


def test_an_outcome_too_big_is_not_kept(tmp_path: Path) -> None:
    from models.machine import LogLine
    from models.mirror import Outcome, OutcomeStatus

    store = OutcomeCache(tmp_path / "cache")
    small = Outcome(OutcomeStatus.OK, log=(LogLine("err", "x"),))
    big = Outcome(OutcomeStatus.OK, log=(LogLine("err", "x" * outcome_cache.MAX_OUTCOME_BYTES),))
    assert store.put(store.key("small"), [small]) and store.get(store.key("small"), 1) == [small]
    assert not store.put(store.key("big"), [small, big]) and store.get(store.key("big"), 2) is None
    assert store.usage().entries == 1


# sc_retry()'s test made one an answer next to it tells apart (value runs find a difference), and one no run tells
# apart (said as undecided): harness.valuecover's runs and findings are cached too.
_LOOP = "err != TDX_RND_NO_ENTROPY || !--left"
_CHANGED = ("(err & ~BIT_ULL(40)) != TDX_RND_NO_ENTROPY || !--left",
            "err != TDX_RND_NO_ENTROPY || left-- <= (fn == 0x1234 ? 2 : 1)")


@pytest.mark.parametrize("changed", [None, *_CHANGED])
def test_a_filled_cache_needs_no_c_parser_and_gives_the_same_report(tmp_path: Path, changed: str | None) -> None:
    # With every outcome and code fact cached, eval must not preprocess or parse C at all (the costly
    # imports and work), nor load the kernel models (models.kernel: a name is all a check asks, models.primnames),
    # and what it reports must be what the run that filled the cache reported.
    import json

    from tests.harness.seriesgen import RETRY_SAFE, eval_modules, helpers, moving_series, preparing_series
    from tests.mailgen import write_mbox

    series = moving_series(faithful=True) if changed is None else \
        preparing_series(helpers(RETRY_SAFE.replace(_LOOP, changed)))
    mbox = write_mbox(tmp_path / "s.mbox", series)
    parsers = ("m.split('.')[0] in ('pycparser', 'pcpp') or "
               "m in ('models.mirror', 'models.cload', 'models.interp', 'models.kernel')")
    runs = [eval_modules(tmp_path, mbox, tmp_path / f"r{n}.json", parsers) for n in (1, 2)]
    assert runs[0] != [] and runs[1] == [], runs
    first, second = (json.loads((tmp_path / f"r{n}.json").read_text()) for n in (1, 2))
    ran, reused = first.pop("stats"), second.pop("stats")
    assert reused["runs_executed"] == 0 and reused["runs_cached"] == ran["runs_executed"] > 0
    assert first == second
    if changed is not None:  # value coverage took part: its difference or its undecided condition is said
        assert ("neighbour-0x" if changed == _CHANGED[0] else "a changed condition") in json.dumps(first)


def test_an_edited_outcome_line_is_a_miss(tmp_path: Path) -> None:
    # Outcome lines are reused as the JSON report's text: one that is not what was written is never read.
    vs = (variant("a"),)
    first = _run(tmp_path, vs)
    entries = [f for f in (tmp_path / "cache").rglob("*.json") if f.read_text().count("\n") >= 1]
    assert entries
    for f in entries:
        head, body = f.read_text().split("\n", 1)
        f.write_text(head + "\n" + body.replace('"status":"ok"', '"status":"ok","extra":1', 1))
    again = _run(tmp_path, vs)
    assert again.cached < first.executed and _same(again, first)


def test_outcomes_read_back_carry_their_exact_json(tmp_path: Path) -> None:
    import json

    from models.outcome import outcome_to_dict

    vs = (variant("a"), variant("b", tries=5))
    _run(tmp_path, vs)
    again = _run(tmp_path, vs)
    assert again.cached > 0
    for v in vs:
        for o in again.outcomes_of(v.name):
            if o.status != "not-provided":
                assert o.json_text == json.dumps(outcome_to_dict(o), separators=(",", ":"))
                # Lines-5: the fields' texts come from the line as they are, already apart, before the report asks.
                assert o.__dict__["json_fields"] == tuple((k, json.dumps(v, separators=(",", ":")))
                                                          for k, v in outcome_to_dict(o).items())


def test_an_outcome_line_is_its_fields_apart_and_a_damaged_one_is_refused() -> None:
    # A line is each field's "key":value separated by tabs; a tab, quote, brace or non-ASCII character in a log line
    # is escaped by the JSON and never splits it. A field that is not one key outcome_to_dict writes with one whole
    # JSON value is a damaged line (ValueError: the entry is a miss), never an outcome or a text cut wrong.
    from models.machine import Event, LogLine, SeamCall
    from models.outcome import OUTCOME_KEYS, ErrorKind, Limit, Outcome, OutcomeStatus, outcome_to_dict

    call = SeamCall("__seamcall", 1, "TDX module", 0, 0, False, (("cpu", 1),), "a.c:3", (("rcx", 2),))
    o = Outcome(OutcomeStatus.ERROR, (call,), -5, "int", "EIO", (LogLine("3", 'a\tb "}\t{" 5\u00b0C'),),
                error="e\tf", error_kind=ErrorKind.BUDGET, limits=(Limit.STEPS,), unrecorded_calls=1,
                state=(("f::n", "1"),), log_open=True, regs_out=(("rax", 9),), events=(Event("irq", "x", "a.c:4"),))
    assert tuple(k for k, _ in o.json_fields) == OUTCOME_KEYS  # every field, in outcome_to_dict's order
    line = "\t".join(f'"{k}":{v}' for k, v in o.json_fields)
    assert line.count("\t") == len(o.json_fields) - 1
    data, texts = outcome_cache._fields(line)
    assert data == outcome_to_dict(o) and texts == o.json_fields
    for bad in ('"status":"ok","ret":1', '"status":"ok"\t"extra":1', '"status":', '"status":"ok"\t"status":"ok"',
                'status:"ok"', '"status":"ok" ', '"status":"ok"\t"ret":1}'):
        with pytest.raises(ValueError):
            outcome_cache._fields(bad)


def test_what_each_run_executed_reads_back_from_the_cache(tmp_path: Path) -> None:
    # The rules count a test of the leaf per entry point and per scenario selected (harness.leafsame.run_groups):
    # a cached group gives back each run's statements, not only their union (which made every rule of a cached
    # run read nothing as shown).
    vs = (variant("a"),)
    first = _run(tmp_path, vs)
    second = _run(tmp_path, vs)
    assert second.executed == 0
    sizes = len(first.matrix.scenarios)
    runs = [first.run_coverage("a", p) for p in range(sizes)]
    assert [second.run_coverage("a", p) for p in range(sizes)] == runs
    assert all(r for r, o in zip(runs, first.outcomes_of("a"), strict=True) if o.ran)
    assert len(set(runs)) > 1  # runs of different scenarios executed different statements
    assert frozenset().union(*runs) == first.coverage("a").ran


def _generate(folder: Path, count: int, mirror: str | None, start: int = 0) -> list[Path]:
    """``count`` entries as the cache lays them out (under ``mirror``'s folder; None: the layout before mirror
    folders), their content a header line only: the cache command must not need more."""
    import hashlib

    made = []
    for n in range(start, start + count):
        key = hashlib.sha256(str(n).encode()).hexdigest()
        path = (folder if mirror is None else folder / mirror) / key[:2] / f"{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"key": key, "mirror": "m", "format": "lines-3", "index": [0] * (n % 7)}))
        made.append(path)
    return made


def test_usage_and_prune_of_a_generated_cache_open_no_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 'seamharness cache' read and decoded every entry's header (14 s cold for 3,777 entries): which mirror wrote
    # an entry is now where it is, and its size its metadata.
    import builtins
    import io

    folder = tmp_path / "cache"
    mine = _generate(folder, 300, outcome_cache.mirror_tag())
    other = _generate(folder, 200, "0123456789abcdef", 300)
    flat = _generate(folder, 100, None, 500)  # written before mirror folders: never read again
    (folder / "notes.json").write_text("a file the cache did not write")
    (folder / "0123456789abcdef" / "ab" / "notes.json").write_text("nor this")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"an entry opened: {args[:1]}")

    for where, name in ((builtins, "open"), (io, "open"), (Path, "open"), (Path, "read_text"), (Path, "read_bytes")):
        monkeypatch.setattr(where, name, refuse)
    store = OutcomeCache(folder)
    kept, gone = (sum(p.stat().st_size for p in group) for group in (mine, (*other, *flat)))
    assert store.usage() == outcome_cache.CacheUsage(folder, 600, kept + gone, 300)
    assert store.prune() == 300 and store.usage() == outcome_cache.CacheUsage(folder, 300, kept, 0)
    assert all(p.exists() for p in mine) and not any(p.exists() for p in (*other, *flat))
    assert (folder / "notes.json").exists() and (folder / "0123456789abcdef" / "ab" / "notes.json").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["notes.json", "0123456789abcdef",
                                                               outcome_cache.mirror_tag()])  # emptied folders gone
    assert store.prune(everything=True) == 300 and store.usage().entries == 0


def test_usage_holds_no_list_of_the_entries(tmp_path: Path) -> None:
    # Bounded memory however many entries there are (100,000 in a CI cache): counted as the folders are listed.
    import tracemalloc

    folder = tmp_path / "cache"
    _generate(folder, 200, outcome_cache.mirror_tag())
    peaks = []
    for more in (0, 2000):
        _generate(folder, more, outcome_cache.mirror_tag(), 200)
        tracemalloc.start()
        assert OutcomeCache(folder).usage().entries == 200 + more
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] + 100_000, peaks


def test_where_log_lines_came_from_is_kept_once_per_format(tmp_path: Path) -> None:
    # Each distinct format and call once, each run's lines as indexes (-1: no one call's): what a rerun from the cache
    # names the conversions from (harness.convnotes), as the run that filled it did.
    from models.machine import LogLine
    from models.outcome import Coverage, LogSource, LogSources, Outcome, OutcomeStatus, log_sources

    fmt = (b"leaf %llu failed: \xff%#llx\n", "a/b.c:7", False)
    logs = [(fmt,), (), (fmt, None), (fmt,)]
    made = log_sources(logs)
    assert made == LogSources((LogSource("leaf %llu failed: \xff%#llx\n", "a/b.c:7"),), ((0,), (), (0, -1), (0,)))
    assert made.runs[0] is made.runs[3] and made.of_run(2) == (made.formats[0], None) and made.of_run(9) == ()
    store = OutcomeCache(tmp_path / "cache")
    outs = [Outcome(OutcomeStatus.OK, log=(LogLine("err", "x"),) * len(x)) for x in logs]
    key = store.key("group")
    assert store.put(key, outs, Coverage(log=made))
    head = json.loads(next(store.folder.rglob("*.json")).read_text().partition("\n")[0])
    assert head["formats"] == [["leaf %llu failed: \xff%#llx\n", "a/b.c:7"]] and head["log_runs"] == [0, 1, 2, 0]
    found = store.get_group(key, 4)
    assert found is not None and found[1].log == made
    # An index past the formats (a damaged entry) is a miss, never a line said to come from another call.
    path = next(store.folder.rglob("*.json"))
    path.write_text(path.read_text().replace('"log_sets":[[0],[],[0,-1]]', '"log_sets":[[1],[],[0,-1]]', 1))
    assert store.get_group(key, 4) is None


def test_a_line_a_pv_printed_keeps_that_its_format_is_the_structs(tmp_path: Path) -> None:
    # models.outcome.LogSource.inner: the format's conversions read a struct va_format's arguments, none of the
    # call's (harness.leafconv refuses to read them as the call's); a rerun from the cache knows it too, and an entry
    # with a third field of another value is a miss.
    from models.machine import LogLine
    from models.outcome import Coverage, LogSource, Outcome, OutcomeStatus, log_sources

    made = log_sources([((b"tdx: %llx\n", "a/b.c:7", True), (b"tdx: %pV\n", "a/b.c:8", False))])
    assert made.formats == (LogSource("tdx: %llx\n", "a/b.c:7", True), LogSource("tdx: %pV\n", "a/b.c:8"))
    store = OutcomeCache(tmp_path / "cache")
    key = store.key("group")
    assert store.put(key, [Outcome(OutcomeStatus.OK, log=(LogLine("err", "x"), LogLine("err", "y")))],
                     Coverage(log=made))
    path = next(store.folder.rglob("*.json"))
    head = json.loads(path.read_text().partition("\n")[0])
    assert head["formats"] == [["tdx: %llx\n", "a/b.c:7", True], ["tdx: %pV\n", "a/b.c:8"]]
    found = store.get_group(key, 1)
    assert found is not None and found[1].log == made
    path.write_text(path.read_text().replace('"a/b.c:7",true]', '"a/b.c:7",1]', 1))
    assert store.get_group(key, 1) is None


def test_statements_many_runs_share_are_kept_once_and_read_back_per_run(tmp_path: Path) -> None:
    """An entry's statements are every run's and the group's own (put walks each distinct set once): a set many runs
    hold and one no other names read back as they were put, run by run."""
    from models.outcome import Coverage, Outcome, OutcomeStatus

    store = OutcomeCache(tmp_path / "cache")
    often, once = frozenset({"d.c:2:1", "d.c:3:1"}), frozenset({"d.c:9:1"})
    runs = (often, often, once, often, frozenset())
    key = store.key("group")
    assert store.put(key, [Outcome(OutcomeStatus.OK, ret=n) for n in range(5)],
                     Coverage(frozenset({"d.c:1:1"}), frozenset({"d.c:1:1", "d.c:2:1"}), runs))
    found = OutcomeCache(tmp_path / "cache").get_group(key, 5)
    assert found is not None
    assert found[1].ran == {"d.c:1:1", "d.c:2:1", "d.c:3:1", "d.c:9:1"} and found[1].runs == runs



_PARSERS = ("m.split('.')[0] in ('pycparser', 'pcpp', 'z3') or "
            "m in ('models.mirror', 'models.cload', 'models.interp', 'models.kernel')")


def _gate_modules(tmp: Path, mbox: Path, rules: Path, out: Path) -> list[str]:
    """``seamharness gate MBOX --variant v1 --rules RULES --json OUT`` in a fresh interpreter, its caches under
    ``tmp/cache``: the C parser's modules it loaded."""
    import ast
    import os
    import subprocess
    import sys

    code = ("import sys; from harness.cli import main; main(['gate', sys.argv[1], '--variant', 'v1', '--rules', "
            f"sys.argv[2], '--json', sys.argv[3]]); print(sorted(m for m in sys.modules if {_PARSERS}))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "cache"), "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-c", code, str(mbox), str(rules), str(out)], env=env,
                          capture_output=True, text=True, check=False)
    found: list[str] = ast.literal_eval(proc.stdout.splitlines()[-1])
    return found


def test_a_filled_cache_needs_no_c_parser_for_a_nested_retry(tmp_path: Path) -> None:
    # Which functions hold a retry loop around another is worked out from the parsed C (harness.nestedretry): a gate
    # bounding the SEAMCALLs of a wrapper going round sc_retry() parsed it again on a filled cache (pcpp, pycparser
    # and the mirror loaded), as did an eval of a patch splitting sc_retry() into two nested loops.
    from tests.harness.seriesgen import (
        BUILD_WRAPPER,
        NEW_HOME,
        RETRY_SAFE,
        WRAPPER,
        Step,
        eval_modules,
        helpers,
        revision,
    )
    from tests.harness.test_nestedretry import _BOTH, _SPLIT, NESTED, RULE, SENDER
    from tests.mailgen import write_mbox

    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),)),
             Step("x86/virt/tdx: Add a P-SEAMLDR wrapper", ((WRAPPER, None, NESTED), BUILD_WRAPPER))]
    mbox = write_mbox(tmp_path / "w.mbox", revision(1, steps, sender=SENDER, cover="demo: a P-SEAMLDR wrapper"))
    (tmp_path / "rules.toml").write_text(RULE)
    runs = [_gate_modules(tmp_path, mbox, tmp_path / "rules.toml", tmp_path / f"g{n}.json") for n in (1, 2)]
    assert runs[0] != [] and runs[1] == [], runs
    gates = [json.loads((tmp_path / f"g{n}.json").read_text()) for n in (1, 2)]
    assert gates[0] == gates[1] and "goes round a call that reaches another retry loop" in json.dumps(gates[0])

    steps = [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(_BOTH)),)),
             Step("x86/virt/tdx: Split sc_retry() by retry code", ((NEW_HOME, helpers(_BOTH), helpers(_SPLIT)),))]
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, steps, sender=SENDER, cover="demo: split the retry"))
    runs = [eval_modules(tmp_path, mbox, tmp_path / f"r{n}.json", _PARSERS) for n in (1, 2)]
    assert runs[0] != [] and runs[1] == [], runs
    first, second = (json.loads((tmp_path / f"r{n}.json").read_text()) for n in (1, 2))
    first.pop("stats"), second.pop("stats")
    assert first == second and "a retry loop around another in v1:02" in json.dumps(first)



TWO_ARGS = """
static inline int demo_two(u64 fn, u64 err)
{
	if (err)
		pr_err("DEMO two (%llu) failed: 0x%llx\\n", fn, err);
	return err ? -EIO : 0;
}
"""


@pytest.mark.parametrize(("first", "then"), [("answer", "zero"), ("zero", "answer")])
def test_matrices_apart_only_by_an_entrys_args_share_no_outcome(tmp_path: Path, first: str, then: str) -> None:
    # The same code, its entry point's second parameter fed the script's answer or 0: other runs. A cache keyed by
    # the code alone gave the second matrix the first one's outcomes (the failure printed, or not).
    vs = (variant("a", extra=TWO_ARGS),)
    cache = OutcomeCache(tmp_path / "cache")

    def run(feed: str) -> MatrixResult:
        text = MATRIX.replace('[[entry]]\nname = "demo_retry"\n',
                              f'[[entry]]\nname = "demo_two"\nargs = ["fn", "{feed}"]\n', 1)
        (tmp_path / feed).mkdir(exist_ok=True)
        return run_matrix(MatrixRequest(vs, matrix(tmp_path / feed, text), jobs=1, cache=cache, time_budget=0))

    before, after = run(first), run(then)
    got = after.outcome("a", "demo_two/ONE/fail/demo.c")
    printed = [x.text for x in got.log]
    assert printed == (["DEMO two (1) failed: 0x8000000000000001"] if then == "answer" else []), printed
    assert (after.cached, after.executed) == (8, 8)  # demo_prerr's 8 scenarios from the cache, demo_two's run
    assert before.outcome("a", "demo_two/ONE/fail/demo.c") != got


def test_an_entry_is_named_by_the_blake2b_of_the_mirror_and_its_description(tmp_path: Path) -> None:
    import hashlib

    from harness.outcome_cache import mirror_tag, mirror_version
    from models.outcome import Outcome, OutcomeStatus

    store = OutcomeCache(tmp_path)
    key = store.key("group\0x")
    assert key == hashlib.blake2b(f"{mirror_version()}\0group\0x".encode(), digest_size=32).hexdigest()
    assert store.put(key, [Outcome(OutcomeStatus.OK, ret=0)])
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*.json")] == [Path(mirror_tag(), key[:2], f"{key}.json")]
