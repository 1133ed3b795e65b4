"""Builders for test mail: a small synthetic series with its own helper code, written for these tests."""

from __future__ import annotations

import difflib
import hashlib
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HELPER_PATH = "drivers/demo/helper.h"

# A tiny helper header of our own, in the shape of the code under review.
HELPER_V0 = """\
/* demo helper */
#ifndef DEMO_HELPER_H
#define DEMO_HELPER_H

#define DEMO_BUSY 0x8000000000000010ULL

static inline u64 demo_retry(u64 fn)
{
	int tries = 3;
	u64 ret;

	do {
		ret = demo_call(fn);
	} while (ret == DEMO_BUSY && --tries);

	return ret;
}

static inline void demo_err(u64 fn, u64 err)
{
	pr_err("DEMO (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

#endif
"""

HELPER_V1 = HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%llu)")
HELPER_V2 = HELPER_V1.replace("int tries = 3;", "int tries = 5;")


def blob(text: str) -> str:
    data = text.encode()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def diff(path: str, old: str | None, new: str | None, context: int = 3) -> str:
    """A git-style diff between two texts of one file (None for absent)."""
    a = (old or "").splitlines(keepends=True)
    b = (new or "").splitlines(keepends=True)
    head = [f"diff --git a/{path} b/{path}\n"]
    if old is None:
        head.append("new file mode 100644\n")
    if new is None:
        head.append("deleted file mode 100644\n")
    ob = blob(old)[:12] if old is not None else "0" * 12
    nb = blob(new)[:12] if new is not None else "0" * 12
    mode = "" if old is None or new is None else " 100644"
    head.append(f"index {ob}..{nb}{mode}\n")
    lines = list(difflib.unified_diff(
        a, b, "/dev/null" if old is None else f"a/{path}",
        "/dev/null" if new is None else f"b/{path}", n=context))
    lines = [ln.rstrip(" ") if ln.startswith(("---", "+++")) else ln for ln in lines]
    return "".join(head + lines)


def message(subject: str, msgid: str, body: str, *, sender: str = "Ann Author <ann@example.org>",
            parent: str | None = None, refs: tuple[str, ...] = (), cte: str | None = None,
            charset: str = "utf-8", date: str = "Mon, 05 Jan 2026 10:00:00 +0000") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = f"<{msgid}>"
    if parent:
        msg["In-Reply-To"] = f"<{parent}>"
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg.set_content(body, charset=charset, cte=cte)
    return msg


def patch_body(log: str, diff_text: str, notes: str = "") -> str:
    notes_part = f"{notes}\n" if notes else ""
    return (
        f"{log}\n\nSigned-off-by: Ann Author <ann@example.org>\n---\n{notes_part}"
        f" {HELPER_PATH} | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n\n{diff_text}-- \n2.47.0\n"
    )


def demo_series(version: int = 2, total: int = 3) -> list[EmailMessage]:
    """Cover + 1/3 (create helper) + 2/3 (decimal) + 3/3 (more tries); patch numbering of ``total``."""
    tag = f"PATCH v{version}" if version > 1 else "PATCH"
    cover_id = f"cover-v{version}@example.org"
    msgs = [message(f"[{tag} 0/{total}] demo: helper rework", cover_id,
                    "Cover letter text.\n\nbase-commit: 0123456789abcdef0123456789abcdef01234567\n")]
    steps = [(None, HELPER_V0, "demo: add helper"), (HELPER_V0, HELPER_V1, "demo: print fn in decimal"),
             (HELPER_V1, HELPER_V2, "demo: try five times")]
    for n, (old, new, title) in enumerate(steps[:total], start=1):
        body = patch_body(f"Change number {n}.", diff(HELPER_PATH, old, new),
                          notes=f"v{version}:\n - reworded" if version > 1 else "")
        msgs.append(message(f"[{tag} {n}/{total}] {title}", f"p{n}-v{version}@example.org", body,
                            parent=cover_id, refs=(cover_id,)))
    return msgs


def write_mbox(path: Path, msgs: list[EmailMessage]) -> Path:
    with path.open("wb") as fh:
        for m in msgs:
            fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\n")
            data = m.as_bytes(policy=SMTP).replace(b"\r\n", b"\n")
            data = b"\n".join(b">" + ln if ln.lstrip(b">").startswith(b"From ") else ln
                              for ln in data.split(b"\n"))
            fh.write(data.rstrip(b"\n") + b"\n\n")
    return path


def write_eml(path: Path, msg: EmailMessage) -> Path:
    path.write_bytes(msg.as_bytes(policy=SMTP).replace(b"\r\n", b"\n"))
    return path
