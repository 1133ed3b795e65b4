"""harness.comparecache: a rerun reads the comparisons it kept, and any change to what they are made of misses."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import harness.canonical
import harness.compare
import harness.comparecache
import harness.heldwrites
import harness.launch
import harness.outcome_cache
from harness.cli import main
from harness.filestate import FileState
from harness.matrixresult import MatrixResult
from tests.gitoracle import git, init_repo
from tests.harness.variantgen import MATRIX, RETRY_C

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the trees
C = "demo/demo.c"
TEXT = "// SPDX-License-Identifier: GPL-2.0\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
LOOP = "} while (ret == DEMO_BUSY && --tries);"
UNUSED = "demo/unused.c"  # a function no entry point calls
Demo = tuple[Path, Path]  # a tree and a folder with a patch on it


def _series(tmp: Path, tries: int = 4, text: str = TEXT, files: dict[str, str] | None = None,
            also: dict[str, str] | None = None) -> tuple[Path, Path]:
    """A tree with demo.c (``text``, and ``files``), and a folder with one patch on it: the retry count 3 ->
    ``tries`` (and the files ``also`` with their new text)."""
    tree = init_repo(tmp / "tree", {C: text, **(files or {})})
    git(tree, "checkout", "-q", "-b", "v1")
    (tree / C).write_text(text.replace("int tries = 3;", f"int tries = {tries};"))
    for path, new in (also or {}).items():
        (tree / path).write_text(new)
    git(tree, "commit", "-q", "-am", "demo: more tries\n\nMore.\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "--thread=shallow", "--subject-prefix=PATCH v1", "-o", str(tmp / "mail"),
        "HEAD~1..HEAD")
    git(tree, "checkout", "-q", "master")
    return tree, tmp / "mail"


class Made:
    """How many comparisons were worked out (not read from the cache) by the runs of a test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for name in ("_patch_comparison", "_across_comparison"):
            monkeypatch.setattr(harness.compare, name, self._counted(getattr(harness.compare, name)))

    def _counted(self, fn: Any) -> Any:
        def made(*args: Any) -> Any:
            self.count += 1
            return fn(*args)
        return made


def _eval(tmp: Path, cache: Path, mail: Path, tree: Path, matrix: str = MATRIX) -> dict[str, Any]:
    """The JSON report of an eval with its caches under ``cache``, the run's own counts left out."""
    toml = tmp / f"m-{hashlib.sha256(matrix.encode()).hexdigest()[:8]}.toml"
    toml.write_text(matrix)
    os.environ["XDG_CACHE_HOME"] = str(cache)  # put back by the fixture's monkeypatch
    out = tmp / "r.json"
    assert main(["eval", str(mail), "--tree", str(tree), "--matrix", str(toml), "--json", str(out), "--jobs", "1"]) \
        in (0, 1)
    report: dict[str, Any] = json.loads(out.read_text())
    del report["stats"]
    return report


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """_series' tree and patch with their defaults, made once for the tests that only read them (each made its own:
    a git repository and five more git commands); the reports and caches stay each test's."""
    return _series(tmp_path_factory.mktemp("comparecache"))


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Made:
    monkeypatch.setenv("XDG_CACHE_HOME", "")  # each run names its own
    return Made(monkeypatch)


def test_a_rerun_reads_every_comparison_and_says_the_same(tmp_path: Path, demo: Demo, made: Made) -> None:
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert made.count == 1 and first["differences"][0]["changed"]
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    assert made.count == 1  # read, not made again


def _follows(tmp: Path, made: Made, before: dict[str, Any], changed: dict[str, Any], fresh: dict[str, Any]) -> None:
    """A run after a change made its comparisons again and says what a run with an empty cache says, which is not
    what the run before the change said (else the test could not tell a stale comparison)."""
    assert made.count > 1
    assert changed == fresh and changed["differences"] != before["differences"]


def test_a_line_of_code_changed_on_one_side_misses(tmp_path: Path, made: Made) -> None:
    tree, mail = _series(tmp_path / "a")
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    _, other = _series(tmp_path / "b", tries=5)  # the same tree, the patch's side one line otherwise
    changed = _eval(tmp_path, tmp_path / "cache", other, tree)
    _follows(tmp_path, made, before, changed, _eval(tmp_path, tmp_path / "fresh", other, tree))


def test_a_line_no_entry_point_reaches_changed_on_one_side_misses(tmp_path: Path, made: Made) -> None:
    # The runs are the same either way (no entry point reaches the function, in a file of its own): what the
    # comparison says of the code the patch changes and nothing reaches is not.
    files = {UNUSED: "static int demo_unused(void)\n{\n\treturn 1;\n}\n"}
    tree, mail = _series(tmp_path / "a", files=files, also={UNUSED: files[UNUSED].replace("1;", "2;")})
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    _, other = _series(tmp_path / "b", files=files, also={UNUSED: files[UNUSED].replace("1;", "3;")})
    changed = _eval(tmp_path, tmp_path / "cache", other, tree)
    _follows(tmp_path, made, before, changed, _eval(tmp_path, tmp_path / "fresh", other, tree))


def test_another_matrix_misses(tmp_path: Path, demo: Demo, made: Made) -> None:
    tree, mail = demo
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    # Its busy script named otherwise (its counts no longer tell: both are run at the loop's bound of 3 besides,
    # harness.retrycounts, and busy past 3 tries is busy at 4).
    matrix = MATRIX.replace('name = "busy"', 'name = "busy-again"')
    changed = _eval(tmp_path, tmp_path / "cache", mail, tree, matrix)
    _follows(tmp_path, made, before, changed, _eval(tmp_path, tmp_path / "fresh", mail, tree, matrix))


def test_another_tree_misses(tmp_path: Path, made: Made) -> None:
    busy = "#define DEMO_BUSY 0x8000000000000010ULL\n"
    text = TEXT.replace(busy, '#include "busy.h"\n')
    tree, mail = _series(tmp_path, text=text, files={"demo/busy.h": busy})
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    # A header no patch touches says another busy code: a busy answer is retried by neither side.
    (tree / "demo/busy.h").write_text(busy.replace("10ULL", "11ULL"))
    git(tree, "commit", "-q", "-am", "demo: another busy code")
    changed = _eval(tmp_path, tmp_path / "cache", mail, tree)
    _follows(tmp_path, made, before, changed, _eval(tmp_path, tmp_path / "fresh", mail, tree))


def _groups(cache: Path) -> list[Path]:
    """The outcome cache's group entries (a header with outcomes' digest, then the outcomes)."""
    return [p for p in sorted(cache.rglob("*.json")) if '"index":' in p.read_text().partition("\n")[0]]


def test_an_outcome_kept_otherwise_misses(tmp_path: Path, demo: Demo, made: Made,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tree, mail = demo
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    # In one code group's entry, the kept outcomes returning 0 return 7 instead, the entry whole again (its digest of
    # them too): the code is the same on both sides, the outcomes compared are not. (An outcome line's fields are
    # separated by tabs: harness.outcome_cache, lines-7.)
    for entry in [p for p in _groups(tmp_path / "cache") if '"ret":0\t' in p.read_text()][:1]:
        head, _, body = entry.read_text().partition("\n")
        body = body.replace('"ret":0\t', '"ret":7\t')
        data = json.loads(head) | {"blake2b": hashlib.blake2b(body.encode(), digest_size=32).hexdigest()}
        entry.write_text(json.dumps(data, separators=(",", ":")) + "\n" + body)
    changed = _eval(tmp_path, tmp_path / "cache", mail, tree)
    count = made.count
    monkeypatch.setattr(harness.compare, "inputs_key", lambda *_: None)  # the outcomes as kept, compared anew
    fresh = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert count > 1 and changed["differences"] == fresh["differences"] != before["differences"]


def _kept(cache: Path) -> list[Path]:
    return [p for p in sorted(cache.rglob("*.json")) if f'"format":"{harness.comparecache.FORMAT}"' in p.read_text()]


def test_a_damaged_entry_is_a_miss(tmp_path: Path, demo: Demo, made: Made) -> None:
    tree, mail = demo
    before = _eval(tmp_path, tmp_path / "cache", mail, tree)
    entries = _kept(tmp_path / "cache")
    assert entries
    for entry in entries:  # still JSON of the right shape, a count or a name another: only its digest tells
        text = re.sub(r'(\\"compared\\":)(\d+)', lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", entry.read_text())
        text = text.replace('[\\"v1:00\\"', '[\\"v1:0O\\"')  # the outcome groups' first name
        assert text != entry.read_text()
        entry.write_text(text)
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == before
    assert made.count == 2


def test_no_cache_keeps_nothing(tmp_path: Path, demo: Demo, made: Made) -> None:
    tree, mail = demo
    (tmp_path / "m.toml").write_text(MATRIX)
    for _ in range(2):
        assert main(["eval", str(mail), "--tree", str(tree), "--matrix", str(tmp_path / "m.toml"), "--no-cache",
                     "--jobs", "1"]) in (0, 1)
    assert made.count == 2


class _Odd(str):
    """A note of a kind the cache does not know: it would read back as plain text."""


def test_a_comparison_that_would_not_read_back_as_itself_is_not_kept(tmp_path: Path, demo: Demo, made: Made,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    make = harness.compare._patch_comparison

    def odd(*args: Any) -> Any:
        cmp, finding = make(*args)
        diffs = tuple(replace(d, notes=tuple(_Odd(n) for n in d.notes)) for d in cmp.differences)
        return replace(cmp, differences=diffs), finding

    monkeypatch.setattr(harness.compare, "_patch_comparison", odd)
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert _kept(tmp_path / "cache") and all('\\"view\\"' not in p.read_text() for p in _kept(tmp_path / "cache"))
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    assert made.count == 2  # made again: nothing was kept of it


def test_an_entry_that_would_not_give_the_comparison_back_is_not_kept(tmp_path: Path, demo: Demo, made: Made,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    read = harness.comparecache._note
    monkeypatch.setattr(harness.comparecache, "_note", lambda data: read(data) + "!")  # a reader that errs
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first and "!" not in json.dumps(first["differences"])
    assert made.count == 2


def test_a_comparison_of_more_differences_than_kept_is_made_again(tmp_path: Path, demo: Demo, made: Made,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Kept whole, the scale case's comparisons of 10,000 differing scenarios cost more to write, check and read than
    # to make again: past MAX_KEPT_DIFFERENCES none is kept, and the rerun says the same.
    monkeypatch.setattr(harness.comparecache, "MAX_KEPT_DIFFERENCES", 0)
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert first["differences"][0]["changed"] and made.count == 1
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    assert made.count == 2  # made again: a comparison with differences was not kept


def test_an_entry_is_read_back_by_looking_its_classes_up(tmp_path: Path, demo: Demo, made: Made,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Checking an entry before it is kept, and reading it on a rerun, took each class of each difference as
    # DiffClass(value): EnumType.__call__, run in Python, some 2,600 times for the corpus' eval. Now a lookup: the
    # rerun says the same, and an entry naming a class of no known value is still a miss.
    calls: list[object] = []
    real = harness.comparecache.DiffClass

    def spy(value: object) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(harness.comparecache, "DiffClass", spy)
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    assert first["differences"][0]["changed"] and _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    assert made.count == 1 and not calls  # kept and read back, no class made by a call
    for path in _kept(tmp_path / "cache"):
        entry = json.loads(path.read_text().partition("\n")[0])
        body = entry["data"].get("body", "") if isinstance(entry.get("data"), dict) else ""
        if '"differences":[[' in body:
            entry["data"]["body"] = re.sub(r'"differences":\[\[(\d+),\["\w+"', r'"differences":[[\1,["nosuch"', body)
            entry["data"]["blake2b"] = hashlib.blake2b(entry["data"]["body"].encode(), digest_size=32).hexdigest()
            path.write_text(json.dumps(entry) + "\n" + path.read_text().partition("\n")[2])
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    assert made.count == 2  # the damaged entry missed: made again


def test_a_file_state_the_variants_share_is_digested_once_and_told_apart_by_every_line(
        tmp_path: Path, demo: Demo, made: Made, monkeypatch: pytest.MonkeyPatch) -> None:
    # The key writes each file's state as its own digest, made once however many variants share the state (the
    # corpus: 104 states met 231 times). It must tell apart inputs that differ only in one line of such a state,
    # though FileState's == leaves its lines out.
    tree, mail = demo
    asked: list[tuple[Any, ...]] = []
    key = harness.compare.inputs_key
    monkeypatch.setattr(harness.compare, "inputs_key", lambda *args: asked.append(args) or key(*args))
    _eval(tmp_path, tmp_path / "cache", mail, tree)
    res, series, pairs = asked[0]
    # A state two variants share (v1:01's demo.c, v1's too; base is v1:00 itself, no copy of it).
    shared = next(f for v in res.variants for f in v.files
                  if sum(any(g is f for g in w.files) for w in res.variants) > 1)
    digested: list[object] = []
    digest = harness.canonical.canonical_digest

    def counted(obj: object, *, by_digest: tuple[type, ...] = ()) -> str:
        digested.append(obj)
        return digest(obj, by_digest=by_digest)
    monkeypatch.setattr(harness.canonical, "canonical_digest", counted)
    assert key(res, series, pairs) == key(res, series, pairs)
    assert [x for x in digested if x is shared] == [shared, shared]  # once per key
    monkeypatch.undo()

    def swapped(state: FileState) -> MatrixResult:
        return replace(res, variants=tuple(replace(v, files=tuple(state if f is shared else f for f in v.files))
                                           for v in res.variants))
    line = min(shared.lines)
    other = replace(shared, lines={**shared.lines, line: (shared.lines[line][0] + " ", shared.lines[line][1])})
    assert other == shared and key(swapped(other), series, pairs) != key(res, series, pairs)
    assert key(swapped(replace(shared, lines=dict(shared.lines))), series, pairs) == key(res, series, pairs)


def test_a_command_lines_comparisons_are_kept_by_the_writer_and_read_by_the_next_run(
        tmp_path: Path, demo: Demo, made: Made, monkeypatch: pytest.MonkeyPatch) -> None:
    # Making each entry and reading it back to check it was on the comparing process' path (the corpus: some 190 M
    # instructions of its compare); a command line's process leaves it to the child that writes the held entries.
    monkeypatch.setattr(harness.launch, "command_line", True)
    monkeypatch.setattr(harness.heldwrites, "_later", harness.heldwrites._Later())
    entries: list[object] = []
    entry = harness.comparecache._entry
    monkeypatch.setattr(harness.comparecache, "_entry", lambda *args: entries.append(args) or entry(*args))
    tree, mail = demo
    first = _eval(tmp_path, tmp_path / "cache", mail, tree)
    harness.heldwrites.finish_writes()
    assert made.count == 1 and not entries  # made and checked by the writer child
    assert _kept(tmp_path / "cache")
    assert _eval(tmp_path, tmp_path / "cache", mail, tree) == first
    harness.heldwrites.finish_writes()
    assert made.count == 1  # read, not made again


RULES = ('[[rule]]\nid = "more-tries-changes-nothing"\nreviewer = "R"\nsummary = "s"\npatch = "more tries"\n'
         '[rule.check]\nkind = "equivalence"\nreference = "before:patch"\n')


def _judged(tmp: Path, cache: Path, mail: Path, tree: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, int]:
    """An eval judging RULES (an equivalence rule on the patch): its report's rules and how many comparisons the rule
    worked out (compare_pair asked for a rule's view: "A -> B", no patch named)."""
    made = []
    real = harness.compare.compare_pair

    def counted(res: Any, a: str, b: str, view: str, label: str, *args: Any, **kwargs: Any) -> Any:
        made.extend([label] if label == f"{a} -> {b}" and not args and "patch" not in kwargs else [])
        return real(res, a, b, view, label, *args, **kwargs)
    monkeypatch.setattr(harness.compare, "compare_pair", counted)
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(RULES)
    os.environ["XDG_CACHE_HOME"] = str(cache)  # put back by the fixture's monkeypatch
    out = tmp / "r.json"
    assert main(["eval", str(mail), "--tree", str(tree), "--matrix", str(tmp / "m.toml"), "--rules",
                 str(tmp / "r.toml"), "--json", str(out), "--jobs", "1"]) in (0, 1)
    monkeypatch.setattr(harness.compare, "compare_pair", real)
    return json.loads(out.read_text())["rules"], len(made)


def test_a_rules_comparisons_are_kept_and_read_by_the_next_run(tmp_path: Path, demo: Demo, made: Made,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # The rules compared each pair of states again in every run (the corpus: 18 compare_pair of a filled-cache eval,
    # ~6% of its profile) while the report's own comparisons were read from the cache.
    tree, mail = demo
    first, count = _judged(tmp_path, tmp_path / "cache", mail, tree, monkeypatch)
    assert count == 2 and first[0]["verdicts"] == {"v1:00": "n/a", "v1:01": "fail", "v1": "fail"}
    assert _judged(tmp_path, tmp_path / "cache", mail, tree, monkeypatch) == (first, 0)  # read, not made again


def test_a_rules_comparison_misses_when_the_patch_changes(tmp_path: Path, made: Made,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # A patch changing only a comment passes the rule; one more try, with the same cache, fails it: a comparison
    # kept of the first (the same pair of state names) is not read for the second.
    tree, mail = _series(tmp_path / "a", tries=3, also={C: TEXT.replace("int tries = 3;", "int tries = 3; /* */")})
    before, _ = _judged(tmp_path, tmp_path / "cache", mail, tree, monkeypatch)
    _, other = _series(tmp_path / "b", tries=4)
    changed, count = _judged(tmp_path, tmp_path / "cache", other, tree, monkeypatch)
    fresh, _ = _judged(tmp_path, tmp_path / "fresh", other, tree, monkeypatch)
    assert count == 2 and changed == fresh
    assert before[0]["verdicts"]["v1"] == "pass" and changed[0]["verdicts"]["v1"] == "fail"


def test_a_rules_comparison_misses_when_the_harness_changes(tmp_path: Path, demo: Demo, made: Made,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The key names the harness' own source (harness.valuecache.harness_version): another harness compares again.
    tree, mail = demo
    first, _ = _judged(tmp_path, tmp_path / "cache", mail, tree, monkeypatch)
    monkeypatch.setattr(harness.comparecache, "harness_version", lambda: "another harness")
    assert _judged(tmp_path, tmp_path / "cache", mail, tree, monkeypatch) == (first, 2)


def test_gate_compares_for_its_rules_without_a_key(tmp_path: Path, demo: Demo, made: Made,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # gate makes no report comparisons: the comparisons' key (series, every variant) cost more than the rules' 3
    # comparisons of the corpus' v3 it would spare, so it is not made there and each run compares.
    tree, mail = demo
    asked: list[object] = []
    monkeypatch.setattr(harness.compare, "inputs_key", lambda *args: asked.append(args))
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text(RULES)
    os.environ["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    for _ in range(2):
        assert main(["gate", str(mail), "--variant", "v1", "--tree", str(tree), "--matrix", str(tmp_path / "m.toml"),
                     "--rules", str(tmp_path / "r.toml"), "--json", str(tmp_path / "g.json")]) == 1
        assert json.loads((tmp_path / "g.json").read_text())["rules"][0]["verdict"] == "fail"
    assert not asked and not _kept(tmp_path / "cache")
