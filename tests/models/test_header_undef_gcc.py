"""An #undef of the code's own macro in another file than its #define: placed, or the use refused, as gcc -E reads it.

An ``#undef X`` of a macro the variant defines, in a header (which a file may include above a use) or in a .c file
below an #include of the header defining X, was not read: X kept the #define's value where gcc has no macro (the
unit does not build) or the header's later #define. Each case is built by gcc (the .c file including its headers,
after the kernel's definitions) and run; the mirror must give gcc's value or refuse the use, naming the #undef."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

GCC = shutil.which("gcc")
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
_SHIM = "typedef unsigned long long u64;\nstruct tdx_module_args;\n"
_USE = HEAD + "\treturn SH_A;\n}\n"
_MAIN = '\n#include <stdio.h>\nint main(void) { printf("%lld\\n", f(0, 0)); return 0; }\n'

# The files of each case: b.c is the unit (c.c another one)
CASES = {
    "undef in a header below the .c's define": {"h.h": "#undef SH_A\n",
                                                "b.c": '#define SH_A 5\n#include "h.h"\n' + _USE},
    "undef and define in a header": {"h.h": "#undef SH_A\n#define SH_A 9\n",
                                     "b.c": '#define SH_A 5\n#include "h.h"\n' + _USE},
    "define and undef in one header": {"h.h": "#define SH_A 5\n#undef SH_A\n", "b.c": '#include "h.h"\n' + _USE},
    "two headers": {"h.h": "#define SH_A 5\n", "g.h": "#undef SH_A\n#define SH_A 7\n",
                    "b.c": '#include "h.h"\n#include "g.h"\n' + _USE},
    "undef in the .c below the include": {"h.h": "#define SH_A 5\n", "b.c": '#include "h.h"\n#undef SH_A\n' + _USE},
    "undef in the .c, a define of its own after": {"h.h": "#define SH_A 5\n",
                                                   "b.c": '#include "h.h"\n#undef SH_A\n#define SH_A 7\n' + _USE},
    "undef in the .c below the use": {"h.h": "#define SH_A 5\n", "b.c": '#include "h.h"\n' + _USE + "#undef SH_A\n"},
    "undef in another unit": {"h.h": "#define SH_A 5\n", "c.c": '#include "h.h"\n#undef SH_A\n',
                              "b.c": '#include "h.h"\n' + _USE},
}


def _gcc_value(tmp_path: Path, files: dict[str, str]) -> int | None:
    """What gcc's build of b.c returns from f(), None where it does not build (SH_A no macro: undeclared)."""
    assert GCC is not None
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "shim.h").write_text(_SHIM)
    (tmp_path / "main.c").write_text('#include "b.c"' + _MAIN)
    built = subprocess.run([GCC, "-w", "-include", str(tmp_path / "shim.h"), "-o", str(tmp_path / "prog"),
                            str(tmp_path / "main.c")], capture_output=True, check=False)
    if built.returncode:
        return None
    return int(subprocess.run([str(tmp_path / "prog")], capture_output=True, text=True, check=True).stdout)


def _mirror(files: dict[str, str]) -> Outcome:
    sources = tuple(Source(f"a/{n}", ((1, tuple(t.split("\n"))),), True) for n, t in files.items())
    return load_mirror(sources, (EntryPoint("f", ("fn", "args")),)).run(RunRequest("f", 0, (Answer(0),), ""))


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("case", sorted(CASES))
def test_an_undef_in_another_file_gives_gccs_value_or_is_refused(tmp_path: Path, case: str) -> None:
    files = CASES[case]
    gcc = _gcc_value(tmp_path, files)
    out = _mirror(files)
    if out.status == "ok":
        assert out.ret == gcc, (case, out.ret, gcc)
    else:
        assert "#undef SH_A at a/" in (out.error or "") and "is not known" in (out.error or ""), out.error


def test_the_undefs_the_mirror_places_run_and_the_others_are_refused() -> None:
    ran = {case for case, files in CASES.items() if _mirror(files).status == "ok"}
    # a .c file's own #define below its #undef, a use above the #undef, another unit's #undef: placed
    assert ran == {"undef in the .c, a define of its own after", "undef in the .c below the use",
                   "undef in another unit"}
