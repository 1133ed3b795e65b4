"""A tree's <...> headers (kbuild's include paths): definitions nothing else gives are read from them, said where."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.pipeline import EvalRequest, evaluate
from harness.runner import definitions_used
from harness.sysheaders import every_patch_before, path_includes, unincluded_headers
from models.native.run import find_compiler
from tests.gitoracle import init_repo
from tests.harness.seriesgen import (
    MAKEFILE,
    MAKEFILE_BASE,
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    Step,
    revision,
)
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MATRIX = ('[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "drivers/demo/probe.c"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
# Our own header, two levels deep: the typedef and the macro in asm/foo.h, the mask it uses in asm/foo_bits.h.
FOO_H = ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _ASM_X86_FOO_H\n#define _ASM_X86_FOO_H\n\n"
         "#include <asm/foo_bits.h>\n\ntypedef u64 foo_word_t;\n\n"
         "#define FOO_FOLD(x)\t(((x) ^ ((x) >> 9)) & FOO_LOW_MASK)\n\n#endif\n")
FOO_BITS_H = "/* SPDX-License-Identifier: GPL-2.0 */\n#define FOO_LOW_MASK\t0xfffULL\n"
UNIT = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/kernel.h>\n#include <asm/{header}.h>\n{own}\n"
        "int probe(u64 fn, struct tdx_module_args *args)\n{{\n{body}}}\n")
OLD_BODY = "\tfoo_word_t w = __seamcall(fn, args);\n\n\treturn w ? -5 : 0;\n"
NEW_BODY = "\tfoo_word_t w = __seamcall(fn, args) * 0x9e37 + fn;\n\n\treturn (int)FOO_FOLD(w);\n"
# The new body under the script (__seamcall answers BAD = 7, the leaf is ONE = 1), for gcc.
GCC_PROGRAM = ("typedef unsigned long long u64;\n#include <asm/foo.h>\n{after}#include <stdio.h>\n"
               "int main(void) {{ foo_word_t w = 7ULL * 0x9e37 + 1; printf(\"%d\\n\", (int)FOO_FOLD(w)); "
               "return 0; }}\n")


def _series(tmp_path: Path, files: dict[str, str], header: str = "foo", own: str = "", new_body: str = NEW_BODY,
            unit: str | None = None) -> Path:
    """A tree holding ``files`` and drivers/demo/probe.c (``own`` lines after its includes), and a patch to
    probe.c's body alone."""
    old, new = ((unit or UNIT).format(header=header, body=body, own=own) for body in (OLD_BODY, new_body))
    init_repo(tmp_path / "linux", {**files, "drivers/demo/probe.c": old})
    body = patch_body("Fold the answer.", diff("drivers/demo/probe.c", old, new))
    (tmp_path / "m.toml").write_text(MATRIX)
    return write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: fold the answer", "p1@example.org", body)])


def _gcc_value(tmp_path: Path, after: str = "", tree: dict[str, str] | None = None) -> int:
    """What gcc computes for the new body under the script, with TREE's headers (and ``after`` them, the unit's
    own lines)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    for path, text in (tree or TREE).items():
        (tmp_path / "gcc" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "gcc" / path).write_text(text)
    (tmp_path / "gcc.c").write_text(GCC_PROGRAM.format(after=after))
    inc = tmp_path / "gcc" / "arch" / "x86" / "include"
    subprocess.run(["gcc", "-I", str(inc), "-o", str(tmp_path / "gcc.out"), str(tmp_path / "gcc.c")], check=True,
                   timeout=60)
    return int(subprocess.run([str(tmp_path / "gcc.out")], capture_output=True, check=True, timeout=10).stdout)


TREE = {"arch/x86/include/asm/foo.h": FOO_H, "arch/x86/include/asm/foo_bits.h": FOO_BITS_H}


def test_a_typedef_and_macro_of_an_angle_bracket_header_come_from_the_tree(tmp_path: Path) -> None:
    mbox = _series(tmp_path, TREE)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc_value(tmp_path), out.error
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert where["foo_word_t"] == "arch/x86/include/asm/foo.h:7"
    assert where["FOO_FOLD"] == "arch/x86/include/asm/foo.h:9"
    assert where["FOO_LOW_MASK"] == "arch/x86/include/asm/foo_bits.h:2"  # followed one #include <...> deeper
    assert "_ASM_X86_FOO_H" not in where  # only what the code uses is taken
    looked = ev.result.variant("v1").headers
    assert [h.via for h in looked.headers] == ["#include <asm/foo.h> in drivers/demo/probe.c:3",
                                               "#include <asm/foo_bits.h> in arch/x86/include/asm/foo.h:5"]
    # The patch changed behaviour, and it is compared (the state before it ran too).
    assert ev.comparison.per_patch[0].compared > 0 and ev.comparison.per_patch[0].changed
    # crosscheck builds the unit from its own text: gcc reads the tree's header where kbuild's -I finds it.
    r = crosscheck_result(ev.result, find_compiler(None))
    assert r.raw_agreed["v1"] == r.raw_compared["v1"] == 1 and not r.disagreements and not r.fallback.get("v1")


def test_without_a_tree_the_header_is_not_known_and_nothing_runs(tmp_path: Path) -> None:
    mbox = _series(tmp_path, TREE)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "'foo_word_t' is used as a type" in (out.error or "")
    assert "give --tree" in (out.error or "")
    assert not ev.result.variant("v1").headers.headers


# '%:include' is '#include' (C11 6.4.6p3), and a backslash-newline is removed first (phase 2), in the unit and in the
# header it reads: gcc reads both headers. Before, neither was followed: 'foo_word_t' unknown, probe() not run.
@pytest.mark.parametrize(("unit_include", "header_include"), [("%:include <asm/", "%: include <asm/"),
                                                              ("#include \\\n<asm/", "#inc\\\nlude <asm/")])
def test_a_digraph_include_of_a_tree_header_is_followed(tmp_path: Path, unit_include: str, header_include: str
                                                        ) -> None:
    unit = UNIT.replace("#include <asm/{header}.h>", unit_include + "{header}.h>")
    tree = {**TREE, "arch/x86/include/asm/foo.h": FOO_H.replace("#include <asm/", header_include)}
    mbox = _series(tmp_path, tree, unit=unit)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc_value(tmp_path, tree=tree), out.error
    assert [h.state.path for h in ev.result.variant("v1").headers.headers] == list(TREE)


def test_a_header_the_tree_lacks_is_said(tmp_path: Path) -> None:
    mbox = _series(tmp_path, TREE, header="nothere")
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "error", out
    assert "'foo_word_t' is used as a type" in (out.error or "")
    assert "#include <asm/nothere.h> in drivers/demo/probe.c:3: no such file in arch/x86/include, " in (out.error or "")


def test_a_definition_the_mirror_cannot_parse_costs_only_its_name(tmp_path: Path) -> None:
    # foo_bits.h's mask is not C: the code that uses it does not run, saying where and why; the typedef
    # of foo.h is still read (a unit that uses only it would run).
    broken = {**TREE, "arch/x86/include/asm/foo_bits.h": "#define FOO_LOW_MASK\t(0xfffULL +\n"}
    mbox = _series(tmp_path, broken)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "C the mirror does not parse" in (out.error or ""), out.error
    assert "macros of the tree's #include <...> headers: FOO_FOLD (arch/x86/include/asm/foo.h:9), FOO_LOW_MASK " \
        "(arch/x86/include/asm/foo_bits.h:1)" in (out.error or "")
    before = ev.result.outcome("v1:00", "probe/ONE/bad/probe.c")  # uses the typedef alone
    assert before.status == "ok" and before.ret == -5, before.error


def test_a_changed_header_is_a_cache_miss(tmp_path: Path) -> None:
    mbox = _series(tmp_path, TREE)
    req = EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=tmp_path / "cache")
    first = evaluate(req).result.outcome("v1", "probe/ONE/bad/probe.c")
    again = evaluate(req)
    assert again.result.cached > 0
    bits = tmp_path / "linux" / "arch/x86/include/asm/foo_bits.h"
    bits.write_text(FOO_BITS_H.replace("0xfffULL", "0xffULL"))
    subprocess.run(["git", "commit", "-qam", "narrower"], cwd=tmp_path / "linux", check=True, timeout=60,
                   env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "T",
                        "GIT_COMMITTER_EMAIL": "t@x", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    changed = evaluate(req).result.outcome("v1", "probe/ONE/bad/probe.c")
    assert changed.status == "ok" and first.ret is not None and changed.ret == first.ret & 0xff


def test_a_typedef_the_mirror_cannot_parse_is_named_with_its_place(tmp_path: Path) -> None:
    # The slicer takes it for foo_word_t's typedef; pycparser refuses it.
    bad = FOO_H.replace("typedef u64 foo_word_t;", "typedef u64 [2] foo_word_t;")
    broken = {**TREE, "arch/x86/include/asm/foo.h": bad}
    mbox = _series(tmp_path, broken)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1:00", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "arch/x86/include/asm/foo.h:7: C the mirror does not parse" in (out.error or ""), \
        out.error


def test_a_header_never_overrides_the_prelude_or_the_series_own_files(tmp_path: Path) -> None:
    # The header redefines a prelude type and macro, and the unit redefines the header's FOO_FOLD after
    # including it: the prelude's and the unit's are used, as gcc uses the unit's.
    odd = {**TREE, "arch/x86/include/asm/foo.h": FOO_H.replace(
        "typedef u64 foo_word_t;", "typedef u64 foo_word_t;\ntypedef unsigned int u64;\n#define BIT(n) 7")}
    own = "#undef FOO_FOLD\n#define FOO_FOLD(x)\t((x) & 0xff)\n"
    mbox = _series(tmp_path, odd, own=own)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc_value(tmp_path, own), out.error
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert where["FOO_FOLD"] == "drivers/demo/probe.c:5" and where["foo_word_t"] == "arch/x86/include/asm/foo.h:7"
    taken = {n for h in ev.result.variant("v1").headers.headers for n in h.names}
    assert taken == {"foo_word_t"}  # not u64, BIT (the prelude's), FOO_FOLD (the unit's) nor what it used


def test_a_header_past_the_size_cap_is_not_read_and_said(tmp_path: Path) -> None:
    big = {**TREE, "arch/x86/include/asm/foo.h": FOO_H + "/* padding */\n" * 20000}
    mbox = _series(tmp_path, big)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1:00", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "#include <asm/foo.h> in drivers/demo/probe.c:3: arch/x86/include/asm/foo.h: " \
        "larger than 256 KiB, not read" in (out.error or ""), out.error


def test_a_header_helper_the_code_calls_runs_as_called_never_as_an_entry_of_its_own(tmp_path: Path) -> None:
    helper = ("static inline u64 foo_call(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn __seamcall(fn, args) + 2;\n}\n")
    tree = {**TREE, "arch/x86/include/asm/foo.h": FOO_H.replace("\n#endif", helper + "\n#endif")}
    mbox = _series(tmp_path, tree, new_body="\treturn foo_call(fn, args);\n")
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == 9 and out.calls[0].where.startswith("arch/x86/include/asm/foo.h:"), out
    assert [e.name for e in ev.result.matrix.entries] == ["probe"]


def test_two_headers_defining_a_name_differently_are_refused_not_one_picked(tmp_path: Path) -> None:
    # The fold needs a shift only asm/foo_bits.h defines, so both headers are read, and both define the mask,
    # differently: which one the code sees depends on include order, which the mirror does not follow.
    fold = FOO_H.replace("& FOO_LOW_MASK)", "& FOO_LOW_MASK) >> FOO_SHIFT").replace(
        "typedef u64", "#define FOO_LOW_MASK 0x3f\ntypedef u64")
    both = {"arch/x86/include/asm/foo.h": fold,
            "arch/x86/include/asm/foo_bits.h": FOO_BITS_H + "#define FOO_SHIFT 1\n"}
    mbox = _series(tmp_path, both)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "macro FOO_LOW_MASK is defined 2 times" in (out.error or ""), out.error
    assert "arch/x86/include/asm/foo.h:7" in (out.error or "") and "asm/foo_bits.h:2" in (out.error or "")


def test_an_include_past_the_depth_limit_is_named_where_the_name_stays_unknown(tmp_path: Path) -> None:
    # foo.h -> deep1.h -> deep2.h -> deep3.h, which alone defines the type: three includes deep, the fourth
    # is not followed, and the reason says which include that was rather than only "3 deep".
    chain = {"arch/x86/include/asm/foo.h": "#include <asm/deep1.h>\n",
             "arch/x86/include/asm/deep1.h": "#include <asm/deep2.h>\n",
             "arch/x86/include/asm/deep2.h": "/* two */\n#include <asm/deep3.h>\n",
             "arch/x86/include/asm/deep3.h": "typedef u64 foo_word_t;\n"}
    mbox = _series(tmp_path, chain, new_body=OLD_BODY.replace("-5", "-22"))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "error" and "'foo_word_t' is used as a type" in (out.error or ""), out.error
    assert "#include <asm/deep3.h> in arch/x86/include/asm/deep2.h:2: not followed (3 deep)" in (out.error or ""), \
        out.error


def test_a_header_the_patch_changes_is_read_as_patched_never_from_the_base(tmp_path: Path) -> None:
    # The patch drops FOO_FOLD from asm/foo.h while probe.c, which it does not touch, still uses it: gcc
    # refuses the patched state, so the mirror must not take the base commit's copy of the macro.
    new_foo = FOO_H.replace("#define FOO_FOLD(x)\t(((x) ^ ((x) >> 9)) & FOO_LOW_MASK)\n\n", "")
    unit = UNIT.format(header="foo", own="", body=NEW_BODY)
    init_repo(tmp_path / "linux", {**TREE, "drivers/demo/probe.c": unit})
    body = patch_body("Drop the fold.", diff("arch/x86/include/asm/foo.h", FOO_H, new_foo))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] x86/foo: drop the fold", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    before = ev.result.outcome("v1:00", "probe/ONE/bad/probe.c")
    assert before.status == "ok" and before.ret == _gcc_value(tmp_path), before.error
    after = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert after.status == "error" and "FOO_FOLD" in (after.error or ""), after
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert "FOO_FOLD" not in where


def test_an_entry_the_mirror_cannot_load_is_named_without_the_harness_own_call_site(tmp_path: Path) -> None:
    # The matrix's call of the entry point is no place in the C: the reason starts with the entry and the
    # unit's line, never "<entry>:1:".
    mbox = _series(tmp_path, TREE, header="nothere")
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert (out.error or "").startswith("probe() is not available: drivers/demo/probe.c:"), out.error


@pytest.mark.parametrize(("guard", "runs"), [
    ("#ifdef CONFIG_DEMO_FOO", True),  # the configuration seamharness runs sets every CONFIG_ option
    ("#ifndef CONFIG_DEMO_FOO", False),  # another configuration's include: gcc would not see the typedef
    ("#if DEMO_LEVEL > 2", False),  # not decided: not followed either
])
def test_an_include_only_another_configuration_builds_is_not_followed(tmp_path: Path, guard: str, runs: bool) -> None:
    old, new = (UNIT.format(header="foo", body=body, own="").replace(
        "#include <asm/foo.h>\n", f"{guard}\n#include <asm/foo.h>\n#endif\n") for body in (OLD_BODY, NEW_BODY))
    init_repo(tmp_path / "linux", {**TREE, "drivers/demo/probe.c": old})
    body = patch_body("Fold the answer.", diff("drivers/demo/probe.c", old, new))
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: fold the answer", "p1@example.org", body)])
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert (out.status == "ok") is runs, out.error
    if runs:
        assert out.ret == _gcc_value(tmp_path)
    else:
        assert "'foo_word_t' is used as a type" in (out.error or "") and not ev.comparison.per_patch[0].changed


@pytest.mark.parametrize(("archrandom", "loops"), [("#define RDRAND_RETRY_LOOPS\t5\n", 5), ("/* none */\n", 10)])
def test_a_kernel_constant_the_prelude_assumes_is_the_trees_own_where_the_tree_defines_it(
        tmp_path: Path, archrandom: str, loops: int) -> None:
    # The prelude assumes mainline's RDRAND_RETRY_LOOPS (10); gcc builds with the tree's asm/archrandom.h. A
    # header that does not define it leaves the prelude's value (said as the prelude's).
    body = "\tu64 w = __seamcall(fn, args);\n\n\treturn (int)w + RDRAND_RETRY_LOOPS;\n"
    mbox = _series(tmp_path, {"arch/x86/include/asm/archrandom.h": archrandom}, header="archrandom", new_body=body)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == 7 + loops, out.error  # BAD = 7 is the answer
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert (where["RDRAND_RETRY_LOOPS"] == "arch/x86/include/asm/archrandom.h:1") is (loops == 5)
    assert where["RDRAND_RETRY_LOOPS"].startswith("<prelude>") is (loops == 10), where["RDRAND_RETRY_LOOPS"]


def test_an_entry_point_only_a_header_the_unit_includes_defines_runs(tmp_path: Path) -> None:
    # The matrix names probe_header(), which asm/foo.h defines and no code of the series or the unit calls:
    # gcc builds it into probe.c (it includes asm/foo.h). Before: "does not define probe_header()".
    helper = ("static inline int probe_header(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn (int)FOO_FOLD(__seamcall(fn, args));\n}\n")
    tree = {**TREE, "arch/x86/include/asm/foo.h": FOO_H.replace("\n#endif\n", "\n" + helper + "\n#endif\n")}
    mbox = _series(tmp_path, tree)
    (tmp_path / "m.toml").write_text(MATRIX.replace('[[entry]]\nname = "probe"\n',
                                                    '[[entry]]\nname = "probe"\n[[entry]]\nname = "probe_header"\n'))
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    for v in ("v1:00", "v1"):
        out = ev.result.outcome(v, "probe_header/ONE/bad/probe.c")
        assert out.status == "ok" and out.ret == (7 ^ (7 >> 9)) & 0xfff, (v, out.error)
    where = {name: w for name, _, w in definitions_used(ev.result, ev.result.variant("v1"))}
    assert where["probe_header"] == "arch/x86/include/asm/foo.h:11"


# A header copy added by one patch and included only by the next: no unit reads the copy until then. Its name
# sorts before the tree's header, which no patch touches (read as a <...> header).
DEMO_H = "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _ASM_X86_DEMO_H\n#define _ASM_X86_DEMO_H\n\n{call}\n#endif\n"
CALL = ("static inline int demo_call(u64 fn, struct tdx_module_args *args)\n"
        "{{\n\treturn __seamcall(fn, args) ? {err} : 0;\n}}\n")
PROBE = ("// SPDX-License-Identifier: GPL-2.0\n#include <asm/{header}.h>\n\n"
         "int probe(u64 fn, struct tdx_module_args *args)\n{{\n\treturn demo_call(fn, args);\n}}\n")
OLD_H, COPY_H = DEMO_H.format(call=CALL.format(err=-5)), DEMO_H.format(call=CALL.format(err=-22))


def _copied_then_included(tmp_path: Path) -> Path:
    """A tree whose probe.c includes <asm/demo.h> (demo_call() answers -5 on failure); 1/2 adds asm/demo-call.h
    with a demo_call() answering -22 that nothing includes; 2/2 makes probe.c include that one instead."""
    init_repo(tmp_path / "linux", {"arch/x86/include/asm/demo.h": OLD_H,
                                   "drivers/demo/probe.c": PROBE.format(header="demo")})
    (tmp_path / "m.toml").write_text(MATRIX)
    cover = "cover@example.org"
    one = patch_body("Add the new header.", diff("arch/x86/include/asm/demo-call.h", None, COPY_H))
    two = patch_body("Use it.", diff("drivers/demo/probe.c", PROBE.format(header="demo"),
                                     PROBE.format(header="demo-call")))
    return write_mbox(tmp_path / "p.mbox", [
        message("[PATCH 0/2] demo: new header", cover, "Two steps.\n"),
        message("[PATCH 1/2] demo: add asm/demo-call.h", "p1@example.org", one, parent=cover, refs=(cover,)),
        message("[PATCH 2/2] demo: include asm/demo-call.h", "p2@example.org", two, parent=cover, refs=(cover,))])


def _gcc_probe(tmp_path: Path, header: str) -> int:
    """What gcc's build of probe.c returns when it includes <asm/HEADER.h> (__seamcall answers BAD = 7)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    root = tmp_path / f"gcc-{header}"
    stub = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
            "static u64 __seamcall(u64 fn, struct tdx_module_args *args) { return 7; }\n")
    main = "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", probe(1, 0)); return 0; }\n"
    for path, text in {"arch/x86/include/asm/demo.h": OLD_H, "arch/x86/include/asm/demo-call.h": COPY_H,
                       "drivers/demo/probe.c": stub + PROBE.format(header=header) + main}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    subprocess.run(["gcc", "-o", str(root / "probe"), "-I", str(root / "arch/x86/include"),
                    str(root / "drivers/demo/probe.c")], check=True, capture_output=True, timeout=60)
    return int(subprocess.run([str(root / "probe")], check=True, capture_output=True, text=True).stdout)


def test_a_header_no_file_includes_yet_does_not_stand_in_for_the_one_the_unit_reads(tmp_path: Path) -> None:
    mbox = _copied_then_included(tmp_path)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    got = {v: ev.result.outcome(v, "probe/ONE/bad/probe.c").ret for v in ("base", "v1:01", "v1")}
    gcc = {"base": _gcc_probe(tmp_path, "demo"), "v1:01": _gcc_probe(tmp_path, "demo"),
           "v1": _gcc_probe(tmp_path, "demo-call")}
    assert got == gcc == {"base": -5, "v1:01": -5, "v1": -22}


def test_from_mail_alone_an_unincluded_header_is_not_judged(tmp_path: Path) -> None:
    # No tree: probe.c is known from 2/2's hunks only, and the unit that includes the new header may be a file
    # no patch shows (a trimmed series): the header's helpers run as before, never dropped on a guess.
    mbox = _copied_then_included(tmp_path)
    ev = evaluate(EvalRequest((mbox,), tree=None, matrix=tmp_path / "m.toml", jobs=1, cache=None))
    v = ev.variants.get("v1:01")
    assert unincluded_headers(v.files) == frozenset()
    assert any(f.path == "arch/x86/include/asm/demo-call.h" and f.complete for f in v.files)


def test_a_quoted_include_no_file_beside_answers_is_read_from_the_include_paths(tmp_path: Path) -> None:
    # '#include "asm/foo.h"' in drivers/demo/probe.c: gcc looks beside the file, then in the include paths, as for
    # <asm/foo.h>. Only beside it was looked at: foo_word_t was unknown and nothing ran ('used as a type').
    global UNIT
    saved, UNIT = UNIT, UNIT.replace("#include <asm/{header}.h>", '#include "asm/{header}.h"')
    try:
        mbox = _series(tmp_path, TREE)
    finally:
        UNIT = saved
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    assert out.status == "ok" and out.ret == _gcc_value(tmp_path), out.error
    looked = ev.result.variant("v1").headers
    assert looked.headers[0].via == '#include "asm/foo.h" in drivers/demo/probe.c:3', looked.headers


def test_a_quoted_include_a_file_beside_answers_is_that_file(tmp_path: Path) -> None:
    # gcc reads drivers/demo/asm/foo.h (beside the unit) first; the include paths' copy is not read for it.
    global UNIT
    beside = FOO_H.replace("#include <asm/foo_bits.h>\n", "#define FOO_LOW_MASK\t0xffULL\n")
    saved, UNIT = UNIT, UNIT.replace("#include <asm/{header}.h>", '#include "asm/{header}.h"')
    try:
        mbox = _series(tmp_path, {**TREE, "drivers/demo/asm/foo.h": beside})
    finally:
        UNIT = saved
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    w = (7 * 0x9E37 + 1) & ((1 << 64) - 1)
    assert out.status == "ok" and out.ret == ((w ^ (w >> 9)) & 0xFF), out.error
    assert not [h for h in ev.result.variant("v1").headers.headers if h.file.path.startswith("arch/")]


# From mail alone, a series given whole: the helpers move from asm/tdx.h to a new header as renamed copies (1/3
# creates both with the unit, 2/3 the copies, 3/3 switches the unit's include), the copies losing preemption or not.
def _split_move_mail(tmp_path: Path, lost: bool) -> Path:
    printers = PRINTERS.replace("pr_err(", "pr_err_once(")
    loop = RETRY_SAFE.replace("\t\tpreempt_disable();\n", "").replace("\t\tpreempt_enable();\n", "").replace(
        "\tlockdep_assert_preemption_disabled();\n", "") if lost else RETRY_SAFE
    copies = (loop + "\n" + printers).replace("sc_retry(", "seamcall_retry(").replace("sc_mark_dirty", "sc_dirty")
    new = PREAMBLE.replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H").split("typedef")[0] + "#include <asm/tdx.h>\n\n"
    unit = "arch/x86/virt/vmx/tdx/tdx.c"
    c0 = '#define pr_fmt(fmt) "virt/tdx: " fmt\n\n#include <asm/tdx.h>\n\nint tdx_probe(void)\n{\n\treturn 0;\n}\n'
    c1 = c0.replace("<asm/tdx.h>\n", '<asm/tdx.h>\n#include "seamcall_internal.h"\n')
    old = PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL
    return write_mbox(tmp_path / "s.mbox", revision(4, [
        Step("x86/virt/tdx: Add the SEAMCALL helpers", ((OLD_HOME, None, old), (unit, None, c0),
                                                         (MAKEFILE, MAKEFILE_BASE, MAKEFILE_BASE + "# TDX\n"))),
        Step("x86/virt/tdx: Add renamed copies in an internal header", ((NEW_HOME, None, new + copies + TAIL),)),
        Step("x86/virt/tdx: Switch to the internal header", ((OLD_HOME, old, PREAMBLE + TAIL), (unit, c0, c1)))],
        cover="demo: SEAMCALL helpers", sender="Ann Author <ann@example.org>"))


@pytest.mark.parametrize("lost", [True, False], ids=["copy-loses-preemption", "faithful-copy"])
def test_from_a_whole_series_a_header_no_file_includes_yet_is_judged(tmp_path: Path, lost: bool) -> None:
    # Before: from mail alone the copies stood in for asm/tdx.h's helpers as soon as 2/3 added them (nothing includes
    # them until 3/3), so 2/3 took the blame and the moves rule passed 3/3 with preemption lost (a false pass). Every
    # patch up to the state given and every .c file whole, no include of the header can be out of sight.
    mbox = _split_move_mail(tmp_path, lost)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "moves"\nreviewer = "seamharness"\nsummary = "s"\n'
                                     'severity = "error"\n[rule.check]\nkind = "moves"\n')
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v4", "--rules", str(tmp_path / "r.toml"), "--jobs",
                                 "1", "--json", str(tmp_path / "g.json")], env={"XDG_CACHE_HOME": str(tmp_path)})
    [rule] = json.loads((tmp_path / "g.json").read_text())["rules"]
    assert (r.exit_code, rule["verdict"]) == ((1, "fail") if lost else (0, "pass")), rule
    if lost:
        assert "preempt count at SEAMCALL 1 -> 0" in json.dumps(rule["evidence"]), rule


def test_a_state_built_without_an_earlier_patch_is_not_judged_from_mail_alone() -> None:
    assert every_patch_before(("v4 01/3 <a>", "v4 02/3 <b>"), 4)
    assert not every_patch_before(("v4 01/3 <a>", "v4 03/3 <c>"), 4)  # 02/3 not given: it may add the include
    assert not every_patch_before(("v4 01/3 <a>",), None)


# '#if 1 /* c */' (a.h), an '#if 0' in a comment opened after code (c.h), '#i\' then 'f 0' (d.h under it: none) and
# '#if 0 /* x' then ' */ || 1' (e.h), as gcc reads each.
SPELLED = ("#if 1 /* c */\n#include <asm/a.h>\n#endif\n#if 0\n#include <asm/b.h>\n#endif\nint x; /* c\n#if 0\n*/\n"
           "#include <asm/c.h>\n#i\\\nf 0\n#include <asm/d.h>\n#endif\n#if 0 /* x\n */ || 1\n#include <asm/e.h>\n"
           "#endif\n")


def test_the_tree_headers_a_file_includes_are_those_gcc_reads(tmp_path: Path) -> None:
    # Before: none was read (a comment after '#if 1' left it not decided, and the '#if 0' in the comment opened a
    # group never closed): the tree's headers under it were not looked up.
    got = [written for _, written, _ in path_includes(full_file("x/u.c", SPELLED, "test"))]
    assert got == ["asm/a.h", "asm/c.h", "asm/e.h"]
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "u.c").write_text(SPELLED)
    cmd = ["gcc", "-M", "-MG", "-nostdinc", "-I", str(tmp_path), str(tmp_path / "u.c")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60, cwd=tmp_path).stdout
    assert out.replace("\\\n", " ").partition(":")[2].split()[1:] == got
