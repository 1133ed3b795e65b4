"""Series of our own that export symbols: a file created by 01, changed by 02 (tests of harness.exportcheck)."""

from __future__ import annotations

from pathlib import Path

from tests.mailgen import diff, message, patch_body, write_mbox

MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')

EXP_C = """\
// SPDX-License-Identifier: GPL-2.0
#include <linux/export.h>
#include "exp.h"

int demo_a(int x)
{
	return x + 1;
}
EXPORT_SYMBOL_GPL(demo_a);
"""

EXP_H = """\
#ifndef DEMO_EXP_H
#define DEMO_EXP_H
int demo_a(int x);
#endif
"""

OTHER_C = """\
// SPDX-License-Identifier: GPL-2.0
#include <linux/export.h>

int demo_other(void)
{
	return 0;
}
"""

Files = dict[str, str | None]


def series(tmp: Path, first: Files, second: Files, title: str = "demo: export demo_b") -> Path:
    """An mbox of two patches: 01/02 takes every file from nothing to ``first``, 02/02 from ``first`` to
    ``second`` (a path missing from ``second`` is unchanged)."""
    one = "".join(diff(p, None, text) for p, text in first.items() if text is not None)
    two = "".join(diff(p, first.get(p), text) for p, text in second.items() if text != first.get(p))
    mails = [message("[PATCH 1/2] demo: add the exporting code", "e1@x", patch_body("Add.", one)),
             message(f"[PATCH 2/2] {title}", "e2@x", patch_body("Change.", two), parent="e1@x")]
    return write_mbox(tmp / "s.mbox", mails)


def rule(check: str, title: str = "export demo_b", rid: str = "exports") -> str:
    """A rules file of one error rule on patch ``title`` with ``check`` (TOML lines of its [rule.check])."""
    return (f'[[rule]]\nid = "{rid}"\nreviewer = "Rita Reviewer"\nsummary = "what is exported"\n'
            f'patch = "{title}"\n[rule.check]\nkind = "source"\n{check}\n')


def base_file(top: str = "", tail: str = "", functions: int = 8) -> str:
    """A file the kernel base has: a licence line, an include, ``top`` (directives a hunk near the end does not
    show), ``functions`` small functions demo_0 ... and ``tail``."""
    body = "".join(f"int demo_{n}(void)\n{{\n\treturn {n};\n}}\n\n" for n in range(functions))
    return f"// SPDX-License-Identifier: GPL-2.0\n#include <linux/export.h>\n\n{top}\n{body}{tail}"


def one_patch(tmp: Path, old: Files, new: Files, title: str = "demo: change the old code") -> Path:
    """An mbox of one patch changing files ``old`` (which the base has) into ``new``."""
    text = "".join(diff(p, old[p], t) for p, t in new.items())
    return write_mbox(tmp / "s.mbox", [message(f"[PATCH] {title}", "f1@x", patch_body("C.", text))])
