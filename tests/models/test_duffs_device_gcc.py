"""Case labels inside a statement under a switch's label (Duff's device), against gcc.

C11 6.8.4.2 lets a case or default label stand anywhere in the switch's body but in a switch inside it: the switch
jumps into the loop, block or if's branch that holds it. The mirror refused each ("construct 'Case' is not
modelled"), so the variant was "not run" though gcc builds it; now the switch enters there: that pass of a loop runs
from the label, then the loop goes on from its test (a for statement's third clause first); a declaration jumped past
is unset; a break or continue inside the loop is the loop's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
static long long pw_duff_copy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 from[19], to[19] = {};
	const u8 *s = from;
	u8 *d = to;
	int i, count = (int)(err & 15) + 3, n = (count + 7) / 8;
	long long r = 0;

	for (i = 0; i < 19; i++)
		from[i] = (u8)(i * 7 + err);
	switch (count % 8) {
	case 0: do { *d = *s; d = &d[1]; s = &s[1];
	case 7:      *d = *s; d = &d[1]; s = &s[1];
	case 6:      *d = *s; d = &d[1]; s = &s[1];
	case 5:      *d = *s; d = &d[1]; s = &s[1];
	case 4:      *d = *s; d = &d[1]; s = &s[1];
	case 3:      *d = *s; d = &d[1]; s = &s[1];
	case 2:      *d = *s; d = &d[1]; s = &s[1];
	case 1:      *d = *s; d = &d[1]; s = &s[1];
		} while (--n > 0);
	}
	for (i = 0; i < 19; i++)
		r = r * 3 + to[i];
	return r;
}

static long long pw_duff_mixed(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int k = (int)(err >> 60), r = 1, i = 0;

	switch (k) {
	case 8:
		r = 2;
		while (i < 3) {
			r = r * 10 + 1;
	case 1:
			r = r * 10 + 2;
			if (++i == 2)
				continue;
	default:
			r = r * 10 + 3;
			if (r > 100000)
				break;
			i++;
		}
		r += 7;
		break;
	case 2:
		for (i = 0; i < 4; i++) {
			int t = i * 2;

			r += t;
	case 3:
			t = i + 50;
			r = r * 3 + t;
		}
		break;
	case 4:
		if (err & 1) {
			r = 40;
		} else {
	case 5:
			r += 60;
		}
		r *= 2;
	}
	return r;
}

static long long pw_duff_inner_switch(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int r = 0;

	switch ((int)(err & 1)) {
	case 0:
		switch ((int)(err >> 62)) {
		case 2:
			r = 5;
			break;
		default:
			r = 6;
		}
		r++;
		break;
	default:
		do {
	case 7:
			r += 3;
		} while (r < 9);
	}
	return r;
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "construct 'Case' is not modelled".
    runs_as_gcc(tmp_path, "dd", "demo/dd.h", PIECES)


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5, 8, 9])
def test_each_label_is_entered_as_gcc_enters_it(tmp_path: Path, k: int) -> None:
    # The big script's status has 8 in its top nibble: every label of pw_duff_mixed taken, through a constant.
    runs_as_gcc(tmp_path, "dk", "demo/dk.h", PIECES.replace("(int)(err >> 60)", str(k)))


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"
SW = "switch (__seamcall(fn, args))"


@pytest.mark.parametrize(("body", "kind", "says"), [
    # A declaration the switch jumps past is unset, as one a goto jumps past (tests/models/test_goto_over_decl_gcc.py).
    ("\t" + SW + " {\n\tcase 0:\n\t\t{\n\t\t\tint t = 1;\n\tcase 5:\n\t\t\treturn t;\n\t\t}\n\t}\n\treturn 0;\n",
     "runtime", "'t' is read before it is set"),
    ("\tint r = 0;\n\n\t" + SW + " {\n\tcase 0:\n\t\tfor (int i = 0; i < 2; i++) {\n\tcase 5:\n\t\t\tr++;\n"
     "\t\t}\n\t}\n\treturn r;\n", "unsupported", "for statement that declares its variable"),
    ("\tint r = 0;\n\n\t" + SW + " {\n\tcase 0:\n\t\t{\nagain:\n\t\t\tr++;\n\tcase 5:\n\t\t\tif (r < 3)\n"
     "\t\t\t\tgoto again;\n\t\t}\n\t}\n\treturn r;\n", "unsupported", "also has goto labels"),
    ("\t" + SW + " {\n\tcase 0:\n\t\tdo {\n\tcase 5:\n\t\t\treturn 1;\n\tcase 5:\n\t\t\treturn 2;\n\t\t} while (0);\n"
     "\t}\n\treturn 0;\n", "build", "duplicate (or overlapping) case value 5"),
])
def test_what_is_not_run_is_said(body: str, kind: str, says: str) -> None:
    out = run(ENTRY + body + "}\n", script=(5,))
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", kind, True), out.error
