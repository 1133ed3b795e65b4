"""harness.prfmt.run_pr_fmt at scale: a state's C files picked once, not every file read again per run asked."""

from __future__ import annotations

from harness.filestate import FileState, full_file
from harness.prfmt import run_pr_fmt
from harness.variants import Variant


class _Files(tuple[FileState, ...]):
    """A variant's files, counting the reads of them all."""

    reads = 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        _Files.reads += 1
        return super().__iter__()


def test_the_c_files_picked_once() -> None:
    files = [full_file(f"notes/{i}.txt", "n\n", "written") for i in range(100)]
    files += [full_file("d/a.c", '#define pr_fmt(fmt) "a: " fmt\nint a(void)\n{\n\treturn 0;\n}\n', "written"),
              full_file("d/b.c", "int b(void)\n{\n\treturn 1;\n}\n", "written")]
    v = Variant("v1:01", "", _Files(sorted(files, key=lambda f: f.path)), (), (), (), "test")
    want = run_pr_fmt(v, "d/b.c")
    _Files.reads = 0
    for unit in ("d/a.c", "d/b.c") * 10:
        run_pr_fmt(v, unit)
    assert _Files.reads == 0  # twice per run: 40
    assert run_pr_fmt(v, "d/b.c") == want


def test_worked_out_once_per_variant_unit_and_reach(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The runner plans a code group's runs with run_pr_fmt and value coverage asks it again per compared lane
    # (with a filled cache too): the same variant, unit and reach are worked out once.
    import harness.prfmt as prfmt

    made: list[str] = []

    def counted(fmt, files, unit, units):  # type: ignore[no-untyped-def]
        made.append(unit)
        return per_file_pr_fmt(fmt, files, unit, units)

    per_file_pr_fmt = prfmt.per_file_pr_fmt
    monkeypatch.setattr(prfmt, "per_file_pr_fmt", counted)
    files = [full_file("d/a.c", '#define pr_fmt(fmt) "a: " fmt\nint a(void)\n{\n\treturn 0;\n}\n', "written"),
             full_file("d/b.c", "int b(void)\n{\n\treturn 1;\n}\n", "written")]
    v = Variant("v1:02", "", tuple(files), (), (), (), "test")
    first = [run_pr_fmt(v, "d/a.c", frozenset({"d/a.c"})) for _ in range(3)]
    assert made == ["d/a.c"]  # three before
    assert first == ["a: "] * 3
    run_pr_fmt(v, "d/a.c")
    run_pr_fmt(v, "d/a.c", frozenset({"d/a.c", "d/b.c"}))
    assert made == ["d/a.c"] * 3  # another reach is its own question
    other = Variant("v1:02", "", (full_file("d/a.c", "int a(void)\n{\n\treturn 0;\n}\n", "written"),), (), (), (),
                    "test")
    assert run_pr_fmt(other, "d/a.c", frozenset({"d/a.c"})) != first[0]  # another variant: its own answer
