"""``#if true`` in a body is false, as gcc -E reads a kernel file: true and false are enumerators, no macros.

include/linux/stddef.h defines ``enum { false = 0, true = 1 };``: in C they are 1 and 0, but in an ``#if`` each is
an identifier no macro has, 0 (C11 6.10.1p4), and ``#ifdef true`` is false. The mirror's prelude spells them as
macros, and an ``#if true`` in a body took its first branch where gcc takes the ``#else``. gcc -O2 is the oracle,
built from the prelude as the crosscheck reads it (true and false its enumerators too) and from a kernel-like
header."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.test_prelude_named_functions_gcc import CC, gcc_value, needs_cc

STDDEF = ("#include <stdio.h>\ntypedef unsigned long long u64;\ntypedef _Bool bool;\nstruct tdx_module_args;\n"
          "enum { false = 0, true = 1 };\n")  # include/linux/stddef.h

F = "long long f(u64 fn, struct tdx_module_args *args)\n{\n%s\n}\n"
BODIES = {
    "if-true": "#if true\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "if-false": "#if false\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "if-not-true": "#if !true\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "elif-true": "#if 0\n\treturn 1;\n#elif true || false\n\treturn 2;\n#else\n\treturn 3;\n#endif",
    "ifdef-true": "#ifdef true\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "ifndef-false": "#ifndef false\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "defined": "#if defined(true) || defined false\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    "compared": "#if true == false\n\treturn 1;\n#else\n\treturn 2;\n#endif",
    # in C they are 1 and 0, whatever an #if made of them
    "in-c": "\tbool b = true;\n\n#if true\n\tb = false;\n#endif\n"
            "\treturn b * 10 + true * 3 + !false + (long long)sizeof(true);",
}


def _kernel_gcc(tmp_path: Path, code: str) -> int:
    assert CC is not None
    src, exe = tmp_path / "k.c", tmp_path / "k"
    src.write_text(STDDEF + code + '\nint main(void)\n{\n\tprintf("%lld\\n", f(0, 0));\n\treturn 0;\n}\n')
    subprocess.run([CC, "-std=gnu11", "-O2", "-o", str(exe), str(src)], check=True, capture_output=True)
    return int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)


@needs_cc
@pytest.mark.parametrize("name", BODIES)
def test_an_if_of_true_or_false_reads_them_as_gcc_does(tmp_path: Path, name: str) -> None:
    code = F % BODIES[name]
    want = _kernel_gcc(tmp_path, code)
    assert gcc_value(tmp_path, code) == want  # the crosscheck's prelude agrees with the kernel's header
    out = run(code)
    assert (out.status, out.ret) == ("ok", want), out.error



# The same at file scope, where the slicer decides a group (models.conditional): before, '#if true' was a condition
# not decided, and a macro defined in both branches refused where used ("V is defined 2 times ... under #if true").
FILE_SCOPE = {
    "if-true": "#if true\n#define V 1\n#else\n#define V 2\n#endif\n",
    "if-not-true": "#if !true\n#define V 1\n#else\n#define V 2\n#endif\n",
    "ifdef-true": "#ifdef true\n#define V 1\n#else\n#define V 2\n#endif\n",
    "ifndef-false": "#ifndef false\n#define V 1\n#else\n#define V 2\n#endif\n",
    "elif": "#if 0\n#define V 1\n#elif true || defined(false)\n#define V 2\n#else\n#define V 3\n#endif\n",
    "function": "#if true\nstatic int v(void) { return 1; }\n#else\nstatic int v(void) { return 2; }\n#endif\n"
                "#define V v()\n",
    # one the code defines is its own macro: 1 (gcc warns of the redefinition)
    "own-define": "#undef true\n#define true 1\n#if true\n#define V 1\n#else\n#define V 2\n#endif\n",
}


@needs_cc
@pytest.mark.parametrize("name", FILE_SCOPE)
def test_a_file_scope_if_of_true_or_false_reads_them_as_gcc_does(tmp_path: Path, name: str) -> None:
    code = FILE_SCOPE[name] + F % "\treturn V;"
    want = gcc_value(tmp_path, code)
    if name != "own-define":  # the kernel's header has no macro to #undef
        assert _kernel_gcc(tmp_path, code) == want
    out = run(code)
    assert (out.status, out.ret) == ("ok", want), out.error
