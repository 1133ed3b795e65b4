"""A struct defined in a file known only in fragments: a #pragma pack outside them may pack it (gcc)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

# What a series shows of x/a.h: the hunk at line 40. Above it, unseen, the file may say '#pragma pack(push, 1)'
# (as the whole file below does): gcc then lays pk out in 5 bytes, bf in 1, flat in 8 but aligned to 1, so a
# holder of it is 9 bytes where it would be 12. The mirror laid them out unpacked (8, 4, 12).
HUNK = ("struct pk { u8 a; u32 b; };", "struct bf { u32 x : 3, y : 5; };", "struct flat { u32 a; u32 b; };", "")
HOLDER = "struct holder { u8 c; struct flat f; };\n"
MEMBERS = ("struct pk p = { 1, 2 };\n\tstruct bf s = { 0 };\n\tstruct flat q = { 3, 4 };\n\t"
           "s.y = 5;\n\tp.b += q.b;\n\treturn p.a + p.b + s.y + q.a")


def run(body: str, complete: bool = False) -> Outcome:
    entry = (HOLDER + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + ";\n}\n").split("\n")
    m = load_mirror((Source("x/a.h", ((40, HUNK),), complete), Source("x/user.c", ((1, tuple(entry)),), True)),
                    (EntryPoint("f"),))
    return m.run(RunRequest("f", 0, (Answer(0),), ""))


def test_gcc_packs_the_structs_of_the_hunk_under_a_pragma_above_it(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("no gcc")
    src = tmp_path / "p.c"
    src.write_text("#include <stdio.h>\ntypedef unsigned char u8;\ntypedef unsigned int u32;\n#pragma pack(push, 1)\n"
                   + "\n".join(HUNK) + "#pragma pack(pop)\n" + HOLDER + "static int f(void)\n{\n\t" + MEMBERS
                   + ";\n}\nint main(void)\n{\n\tprintf(\"%zu %zu %zu %zu %d\\n\", sizeof(struct pk), "
                   "sizeof(struct bf), sizeof(struct flat), sizeof(struct holder), f());\n\treturn 0;\n}\n")
    subprocess.run([gcc, "-o", str(tmp_path / "p"), str(src)], check=True, capture_output=True)
    out = subprocess.run([str(tmp_path / "p")], check=True, capture_output=True, text=True).stdout
    assert out == "5 1 8 9 15\n"


@pytest.mark.parametrize(("what", "line", "why"), [
    ("struct pk", 40, "struct pk: defined in a file known only in part"),
    ("struct bf", 41, "struct bf: defined in a file known only in part"),
    ("struct holder", 42, "struct flat: its alignment: defined in a file known only in part"),
])
def test_a_layout_packing_could_change_is_refused(what: str, line: int, why: str) -> None:
    out = run(f"return sizeof({what})")
    assert out.status == "error" and (out.error or "").startswith(f"x/a.h:{line}: {why}"), out.error
    assert "a #pragma pack outside what is known may change its layout" in (out.error or ""), out.error


def test_what_packing_cannot_change_still_runs() -> None:
    # No padding: the same size packed or not; members by name, bit-fields too, need no layout.
    assert (run("return sizeof(struct flat)").status, run("return sizeof(struct flat)").ret) == ("ok", 8)
    out = run(MEMBERS)
    assert (out.status, out.ret) == ("ok", 15), out.error


def test_a_complete_file_is_laid_out_as_it_says() -> None:
    out = run("return sizeof(struct pk) * 100 + sizeof(struct holder)", complete=True)
    assert (out.status, out.ret) == ("ok", 812), out.error


def _sources(complete: bool) -> tuple[Source, ...]:
    entry = (HOLDER + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn sizeof(struct pk);\n}\n")
    return (Source("x/a.h", ((40, HUNK),), complete), Source("x/user.c", ((1, tuple(entry.split("\n"))),), True))


def test_the_same_text_known_in_part_or_whole_is_other_code() -> None:
    # The code groups and the outcome cache are keyed by entry_keys, the caches of worked-out facts by Program.key:
    # both hashed the text alone, so an eval with --tree (x/a.h whole: 5 bytes, run) and one from mail (a hunk of it:
    # refused) were one code, and the cache answered the one with the other's outcome.
    from models.cload import load_program
    from models.loader import entry_keys

    whole, part = _sources(True), _sources(False)
    entries = (EntryPoint("f"),)
    assert entry_keys(whole, entries)["f"] != entry_keys(part, entries)["f"]
    assert load_program(whole, entries).key != load_program(part, entries).key
    assert load_program(_sources(False), entries).key == load_program(part, entries).key  # same code, same key
