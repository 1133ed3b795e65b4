"""Synthetic series and matrices for the scale benchmark: R revisions x P patches, S scenarios."""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path

HELPER = "bench/helper.h"

_HELPER = """\
/* A helper of the shape under review, written for the benchmark. */
#define B_BUSY 0x8000000000000010ULL

static inline u64 b_retry(u64 fn, struct tdx_module_args *args)
{{
	int tries = {tries};
	u64 ret;

	do {{
		ret = __seamcall(fn, args);
	}} while (ret == B_BUSY && --tries);

	return ret;
}}

static inline void b_err(u64 fn, u64 err)
{{
	pr_err("B ({fmt}) failed: %#016llx\\n", fn, err);
}}

static inline int b_prerr(u64 fn, struct tdx_module_args *args)
{{
	u64 ret = b_retry(fn, args);

	if (!ret)
		return 0;
	b_err(fn, ret);
	return -EIO;
}}
"""


def _blob(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()[:12]


def _diff(path: str, old: str | None, new: str) -> str:
    a = (old or "").splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    head = f"diff --git a/{path} b/{path}\n"
    head += "new file mode 100644\n" if old is None else ""
    head += f"index {_blob(old) if old is not None else '0' * 12}..{_blob(new)}\n"
    body = difflib.unified_diff(a, b, "/dev/null" if old is None else f"a/{path}", f"b/{path}")
    return head + "".join(line if not line.startswith(("---", "+++")) else line.rstrip() + "\n" for line in body)


def _mail(subject: str, msgid: str, parent: str | None, body: str) -> str:
    thread = f"In-Reply-To: <{parent}>\nReferences: <{parent}>\n" if parent else ""
    return (f"From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Syn Thetic <syn@example.org>\nSubject: {subject}\n"
            f"Date: Mon, 05 Jan 2026 10:00:00 +0000\nMessage-ID: <{msgid}>\n{thread}"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")


def series_mbox(revisions: int, patches: int) -> str:
    """Revision r: patch 1 creates the helper, one patch in the middle and one near the end change it."""
    out = []
    for r in range(1, revisions + 1):
        cover = f"cover-{r}@bench"
        out.append(_mail(f"[PATCH v{r} 0/{patches}] bench: synthetic series", cover, None, "Cover.\n"))
        tries, fmt = 3 + r % 3, "%llu"
        text = _HELPER.format(tries=tries, fmt=fmt)
        for n in range(1, patches + 1):
            if n == 1:
                d = _diff(HELPER, None, text)
            elif n == patches // 2:
                new = _HELPER.format(tries=tries, fmt="%#llx")
                d, text = _diff(HELPER, text, new), new
            elif n == patches - 1 and r % 2:
                new = text.replace(f"int tries = {tries};", f"int tries = {tries + 7};")
                d, text = _diff(HELPER, text, new), new
            else:
                d = _diff(f"bench/notes-{n}.txt", None, f"note {r}.{n}\n")
            body = f"Change {r}.{n}.\n\nSigned-off-by: Syn Thetic <syn@example.org>\n---\n{d}-- \n2.47.0\n"
            out.append(_mail(f"[PATCH v{r} {n}/{patches}] bench: step {n}", f"p{n}-v{r}@bench", cover, body))
    return "".join(out)


def matrix_toml(scenarios: int) -> str:
    """About ``scenarios`` scenarios: two entries x leaves x scripts (busy runs and single failures)."""
    per_entry = max(1, scenarios // 2)
    n_scripts = min(100, per_entry)
    n_leaves = max(1, per_entry // n_scripts)
    lines = ["[codes]", "OK = 0", "BUSY = 0x8000000000000010"]
    lines += [f"FAIL{k} = {0xC000000000000000 + k:#x}" for k in range(n_scripts)]
    lines += ["[leaves]"] + [f"L{k} = {(k | (1 << 63)) if k % 2 else k + 32:#x}" for k in range(n_leaves)]
    lines += ['[[unit]]\nname = "bench.c"\npath = "bench/bench.c"', '[[entry]]\nname = "b_retry"',
              '[[entry]]\nname = "b_prerr"']
    for k in range(n_scripts):
        answers = f'["BUSY*{k % 12 + 1}", "OK"]' if k % 4 == 0 else f'["FAIL{k}"]'
        lines.append(f'[[script]]\nname = "s{k}"\nanswers = {answers}')
    return "\n".join(lines) + "\n"


def write(folder: Path, revisions: int, patches: int, scenarios: int) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mbox = folder / f"series-{revisions}x{patches}.mbox"
    mbox.write_text(series_mbox(revisions, patches))
    matrix = folder / f"matrix-{scenarios}.toml"
    matrix.write_text(matrix_toml(scenarios))
    return mbox, matrix
