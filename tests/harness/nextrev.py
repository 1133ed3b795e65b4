"""A v4 of the corpus' v3 that nobody has seen, made at test time from ../shared (never kept in the repository).

v3's own mails are read; the files the series creates (so known whole) are rebuilt after each patch with git apply,
changed as a maintainer's next revision would change them, and diffed again, index lines included; hunks of files
known only in part pass through as they were. Changes, alone or together: the retry helper renamed and moved to a
header of its own, its loop rewritten, patches dropped and squashed, a new wrapper, another printk format, and the
mail dressed by other clients.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tests.gitoracle import git, init_repo
from tests.mailgen import Shape, diff, flow, shaped_mail

V3 = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "v3"
SEAMCALL_H = "arch/x86/virt/vmx/tdx/seamcall.h"
RETRY_H = "arch/x86/virt/vmx/tdx/seamcall_retry.h"  # where v4 moves the retry helper (a name v3 never used)
SEAMLDR_C = "arch/x86/virt/vmx/tdx/seamldr.c"
COVER_ID = "nextrev-v4-cover@example.org"

Files = dict[str, str]
Edit = Callable[[Files], Files]


@dataclass(frozen=True)
class V3Patch:
    """One patch mail of v3: its number, title, sender, text before the diff and the diff per file."""

    number: int
    title: str
    sender: str
    head: str  # commit message, ``---``, notes and diffstat: everything before the first ``diff --git``
    sections: tuple[tuple[str, str], ...]  # (path, that file's diff text)


def available() -> bool:
    return (V3 / "0000-cover-letter.eml").is_file()


def _read(path: Path) -> tuple[str, str, str]:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return str(msg["Subject"]), str(msg["From"]), body


def read_v3() -> tuple[str, list[V3Patch]]:
    """v3's cover letter body and its patches, in order."""
    _, _, cover = _read(V3 / "0000-cover-letter.eml")
    patches = []
    for path in sorted(V3.glob("00[0-9][1-9]-*.eml")):
        subject, sender, body = _read(path)
        m = re.match(r"\[PATCH v3 (\d+)/\d+\] (.*)", " ".join(subject.split()))
        assert m, subject
        head, _, diffs = body.partition("\ndiff --git ")
        diffs = "diff --git " + diffs.rsplit("\n-- \n", 1)[0] + "\n"
        parts = re.split(r"(?m)^(?=diff --git )", diffs)
        sections = tuple((re.match(r"diff --git a/(\S+)", p).group(1), p) for p in parts if p)  # type: ignore[union-attr]
        patches.append(V3Patch(int(m.group(1)), m.group(2), sender, head + "\n", sections))
    return cover, patches


def git_apply(files: Files, section: str, work: Path) -> str | None:
    """The file ``section`` makes of ``files`` (its path's text, or nothing for a new file), as git apply makes it."""
    path = re.match(r"diff --git a/(\S+)", section).group(1)  # type: ignore[union-attr]
    repo = init_repo(work / f"apply-{len(list(work.glob('apply-*')))}")
    if path in files:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(files[path])
    (repo / "one.patch").write_text(section)
    res = git(repo, "apply", "one.patch", check=False)
    assert res.returncode == 0, res.stderr
    target = repo / path
    return target.read_text() if target.exists() else None


# -- the changes a next revision makes to files known whole ----------------------------------------------------

_RETRY_FN = re.compile(r"(?ms)^static __always_inline u64 sc_retry\(.*?^}\n\n")
_SEAMLDR_DEFS = re.compile(r"(?ms)^#define SEAMLDR_RND_NO_ENTROPY.*?^}\n\n")
RETRY_GUARD = "#ifndef _X86_VIRT_SEAMCALL_RETRY_H\n#define _X86_VIRT_SEAMCALL_RETRY_H\n\n"


def rename_and_move(files: Files) -> Files:
    """(a) sc_retry() is seamcall_retry(), in a header of its own that seamcall.h includes where it was; the
    P-SEAMLDR definitions it uses go with it."""
    if SEAMCALL_H not in files or not _RETRY_FN.search(files[SEAMCALL_H]):
        return files
    text = files[SEAMCALL_H]
    moved = "".join(m.group(0) for m in (_SEAMLDR_DEFS.search(text), _RETRY_FN.search(text)) if m)
    text = _RETRY_FN.sub('#include "seamcall_retry.h"\n\n', _SEAMLDR_DEFS.sub("", text))
    out = {p: t.replace("sc_retry(", "seamcall_retry(") for p, t in files.items()}
    out[SEAMCALL_H] = text.replace("sc_retry(", "seamcall_retry(")
    out[RETRY_H] = ("/* SPDX-License-Identifier: GPL-2.0 */\n" + RETRY_GUARD + "#include <linux/types.h>\n\n"
                    + moved.replace("sc_retry(", "seamcall_retry(") + "#endif\n")
    return out


_DO_LOOP = re.compile(r"\tdo \{\n\t\tret = func\(fn, args\);\n\t\} while \(ret == (\w+) && --retry\);\n")
LOOPS = {
    "for": "\tfor (retry = 0; retry < 32; retry++) {{\n\t\tret = func(fn, args);\n\t\tif (ret != {code})\n"
           "\t\t\tbreak;\n\t}}\n",
    "while": "\tret = func(fn, args);\n\twhile (ret == {code} && --retry)\n\t\tret = func(fn, args);\n",
    "goto": "again:\n\tret = func(fn, args);\n\tif (ret == {code} && --retry)\n\t\tgoto again;\n",
}


def loop(shape: str) -> Edit:
    """(b) the no-entropy retry loop in another shape: ``for`` (a bound of 32), ``while`` or ``goto``."""
    def edit(files: Files) -> Files:
        out = dict(files)
        for path, text in files.items():
            out[path] = _DO_LOOP.sub(lambda m: LOOPS[shape].format(code=m.group(1)), text)
        return out
    return edit


WARN_WRAPPER = """\
static inline int seamcall_prerr_warn(u64 fn, struct tdx_module_args *args)
{
	int ret = seamcall_prerr(fn, args);

	WARN_ON_ONCE(ret);
	return ret;
}

"""
WARN_USER = """
static __maybe_unused int seamcall_checked(u64 fn, struct tdx_module_args *args)
{
	return seamcall_prerr_warn(fn, args);
}
"""


def add_warn_wrapper(files: Files) -> Files:
    """(d) seamcall_prerr_warn(), after seamcall.h's last macro, and a caller of it in seamldr.c."""
    out = dict(files)
    out[SEAMCALL_H] = files[SEAMCALL_H].replace("\n#endif\n", "\n" + WARN_WRAPPER.rstrip("\n") + "\n\n#endif\n")
    out[SEAMLDR_C] = files[SEAMLDR_C] + WARN_USER
    return out


_PICKED = ("\tu64 retry_code = TDX_RND_NO_ENTROPY;\n", "\tif (unlikely(is_seamldr_call(fn)))\n"
           "\t\tretry_code = SEAMLDR_RND_NO_ENTROPY;\n\n")
_SEAMLDR_MACRO = re.compile(r"#define seamldr_prerr\(__fn, __args\)\t+\\\n\tsc_retry_prerr\(__seamcall, seamldr_err, "
                            r"\(__fn\), \(__args\)\)\n")
SEAMLDR_OWN_LOOP = """\
static __always_inline int seamldr_prerr(u64 fn, struct tdx_module_args *args)
{
\tint retry = RDRAND_RETRY_LOOPS;
\tu64 ret;

\tdo {
\t\tret = __seamcall(fn, args);
\t} while (ret == SEAMLDR_RND_NO_ENTROPY && --retry);

\tif (ret == TDX_SUCCESS)
\t\treturn 0;

\tseamldr_err(fn, ret, args);
\treturn -EIO;
}
"""


def own_loop(files: Files) -> Files:
    """(b) the P-SEAMLDR's no-entropy retry moved out of sc_retry() (which retries on the TDX module's code alone
    again) into a loop of seamldr_prerr()'s own, a function now."""
    out = dict(files)
    for path, text in files.items():
        for line in _PICKED:
            text = text.replace(line, "")
        text = text.replace("ret == retry_code", "ret == TDX_RND_NO_ENTROPY")
        out[path] = _SEAMLDR_MACRO.sub(lambda _: SEAMLDR_OWN_LOOP, text)
    return out


def leaf_format(old: str = "(%llx)", new: str = "(%#llx)") -> Edit:
    """(f) the P-SEAMLDR error line prints its leaf with another conversion."""
    def edit(files: Files) -> Files:
        return {p: t.replace(f'"P-SEAMLDR {old} failed', f'"P-SEAMLDR {new} failed') for p, t in files.items()}
    return edit


# -- the revision ----------------------------------------------------------------------------------------------

Step = int | Edit  # a v3 patch by number, or a change of our own


@dataclass(frozen=True)
class Plan:
    """What v4 is: its patches (each a list of v3 patches squashed, or changes of our own, with a title) and the
    changes made to every state of the files known whole."""

    patches: tuple[tuple[str | None, tuple[Step, ...]], ...] = tuple((None, (n,)) for n in range(1, 8))
    edits: tuple[Edit, ...] = ()
    total: int = 26
    changelog: str = ""
    notes: dict[int, str] = field(default_factory=dict)
    shortlog: bool = True  # the cover letter lists every patch (git format-patch --cover-letter's shortlog)
    # Text replaced in the hunks of files known in part too (their index lines then name blobs no tree has).
    respelt: tuple[tuple[str, str], ...] = ()


def _respelt(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _edited(files: Files, edits: tuple[Edit, ...]) -> Files:
    for e in edits:
        files = e(files)
    return files


def _stat(sections: list[str], work: Path) -> str:
    (work / "stat.patch").write_text("".join(sections))
    res = git(work, "apply", "--stat", "--summary", "stat.patch")
    return res.stdout.decode()


def build(plan: Plan, work: Path) -> list[tuple[str, str, str, str]]:
    """v4 as (subject, sender, Message-ID, body) per mail, the cover letter first."""
    cover, v3 = read_v3()
    by_number = {p.number: p for p in v3}
    known: Files = {}
    mails: list[tuple[str, str, str, str]] = []
    for index, (title, steps) in enumerate(plan.patches, start=1):
        before = _edited(known, plan.edits)
        passed: list[str] = []
        for step in steps:
            if callable(step):
                known = step(known)
                continue
            for path, section in by_number[step].sections:
                if path in known or "\nnew file mode" in section.split("\n@@", 1)[0]:
                    made = git_apply(known, section, work)
                    known = {p: t for p, t in known.items() if p != path} | ({path: made} if made else {})
                else:
                    passed.append(_respelt(section, plan.respelt))
        after = _edited(known, plan.edits)
        sections = passed + [diff(p, before.get(p), after.get(p)) for p in sorted(set(before) | set(after))
                             if before.get(p) != after.get(p)]
        sections.sort(key=lambda s: s.split("\n", 1)[0])
        first = next((by_number[s] for s in steps if not callable(s)), None)
        mails.append(_patch_mail(plan, index, title, first, sections, work))
    kept = {m[0].split("] ", 1)[1] for m in mails}
    gone = {p.title for p in v3} - kept
    return [_cover_mail(plan, _shortlog(cover, gone, sorted(kept - {p.title for p in v3})), v3[0].sender), *mails]


def _shortlog(cover: str, gone: set[str], new: list[str]) -> str:
    """v3's shortlog (git format-patch's list of every patch, by author) without the patches gone, with the new
    ones under its first author, and its counts made again; "" when plan.shortlog is off."""
    at = re.search(r"(?m)^\S.* \(\d+\):\n", cover)
    assert at, "v3's cover letter has a shortlog"
    blocks = cover[at.start():].split("\n\n")
    out = []
    for i, block in enumerate(b for b in blocks if re.match(r"\S.* \(\d+\):\n", b)):
        head, *titles = block.split("\n")
        titles = [t for t in titles if t.strip() not in gone] + ([f"  {t}" for t in new] if i == 0 else [])
        out.append(re.sub(r"\(\d+\):", f"({len(titles)}):", head) + "\n" + "\n".join(titles))
    return "\n\n".join(out) + "\n"


def _patch_mail(plan: Plan, index: int, title: str | None, first: V3Patch | None, sections: list[str],
                work: Path) -> tuple[str, str, str, str]:
    sender = first.sender if first else "Chao Gao <chao.gao@intel.com>"
    log = first.head.split("\n---\n", 1)[0] if first else f"{title}\n\nSigned-off-by: {sender}"
    if first and not title:
        title = first.title
    notes = plan.notes.get(index, "")
    body = f"{log}\n---\n{notes + chr(10) if notes else ''}{_stat(sections, work)}\n{''.join(sections)}-- \n2.47.3\n"
    return (f"[PATCH v4 {index:02d}/{plan.total}] {title}", sender, f"nextrev-v4-{index}@example.org", body)


def _cover_mail(plan: Plan, shortlog: str, sender: str) -> tuple[str, str, str, str]:
    text = "Hi,\n\nThe next revision of the series.\n\nChangelog:\nv3->v4:\n" + (plan.changelog or " - rebased\n")
    text += f"\n{shortlog}" if plan.shortlog else ""
    return (f"[PATCH v4 00/{plan.total}] Runtime TDX Module update support", sender, COVER_ID, text)


def raw(mails: list[tuple[str, str, str, str]], shape: Shape | None = None, unwrapped: bool = False) -> list[bytes]:
    """Each mail as a client sends it, threaded under the cover letter. ``unwrapped`` with a flowed ``shape``:
    format=flowed as Thunderbird sends it with line wrapping off (mailnews.wraplength 0, as the kernel's
    Documentation/process/email-clients.rst asks): lines stuffed and trailing blanks dropped, none broken."""
    out = []
    for i, (subject, sender, msgid, body) in enumerate(mails):
        log, sep, patch = body.partition("\n---\n")
        shape = shape or Shape()
        dress = replace(shape, flowed=False) if unwrapped else shape
        head, tail = (log + sep).encode(), patch.encode()
        if unwrapped and shape.flowed:
            head, tail = flow(head, shape.delsp, 10**6), flow(tail, shape.delsp, 10**6)
        data = shaped_mail(sender, subject, msgid, head, tail, dress, date=f"Mon, 07 Dec 2026 10:{i:02d}:00 +0000")
        if unwrapped and shape.flowed:
            data = re.sub(rb"(Content-Type: text/plain; charset=[\w-]+)", rb"\1; format=flowed"
                          + (b"; delsp=yes" if shape.delsp else b""), data, count=1)
        if i:
            thread = f"In-Reply-To: <{COVER_ID}>\nReferences: <{COVER_ID}>\n".encode()
            eol = b"\r\n" if shape.crlf else b"\n"
            data = data.replace(b"MIME-Version:", thread.replace(b"\n", eol) + b"MIME-Version:", 1)
        out.append(data)
    return out


V3_COVER_ID = "20260123145645.90444-1-chao.gao@intel.com"  # v3's cover letter, as its Message-ID header says
BASE_COMMIT = "0123456789abcdef0123456789abcdef01234567"  # a base v3 never named (git format-patch --base)
LONG_TITLE = "Runtime TDX Module update support, with P-SEAMLDR wrappers, retries and a sysfs interface"


def sent(mails: list[tuple[str, str, str, str]], how: str) -> list[bytes]:
    """v4 as sent another way (``how``): "attach" (git format-patch --attach: the diff a text/x-patch attachment of a
    multipart/mixed mail), "in-reply-to" (git send-email --in-reply-to v3's cover letter: v4's thread under v3's),
    "resend" ("[RESEND PATCH v4 NN/24]"), "folded" (the cover letter's subject over 78 columns, folded over three
    lines as a mailer folds it), "base" (the cover letter ends in a base-commit: line)."""
    mails = list(mails)
    if how == "resend":
        mails = [(subject.replace("[PATCH ", "[RESEND PATCH ", 1), *rest) for subject, *rest in mails]  # type: ignore[misc]
    if how == "base":
        subject, sender, msgid, body = mails[0]
        mails[0] = (subject, sender, msgid, body + f"\nbase-commit: {BASE_COMMIT}\n")
    if how == "folded":
        subject, sender, msgid, body = mails[0]
        mails[0] = (subject.replace("Runtime TDX Module update support", LONG_TITLE), sender, msgid, body)
    out = raw(mails)
    if how == "attach":
        out = [out[0], *(raw([m], Shape(attach=True))[0] for m in mails[1:])]
        out[1:] = [_threaded(m) for m in out[1:]]
    if how == "folded":
        words = mails[0][0].split(" ")
        third = len(words) // 3
        folded = "\n ".join(" ".join(part) for part in (words[:third], words[third:2 * third], words[2 * third:]))
        out[0] = out[0].replace(f"Subject: {mails[0][0]}".encode(), f"Subject: {folded}".encode(), 1)
    if how == "in-reply-to":  # the cover answers v3's; each patch's References start there too
        out = [m.replace(b"MIME-Version:", f"In-Reply-To: <{V3_COVER_ID}>\nReferences: <{V3_COVER_ID}>\nMIME-Version:"
                         .encode(), 1) if i == 0 else m.replace(f"References: <{COVER_ID}>".encode(),
                                                                f"References: <{V3_COVER_ID}> <{COVER_ID}>".encode(), 1)
               for i, m in enumerate(out)]
    return out


def _threaded(mail: bytes) -> bytes:
    """A patch mail raw() dressed alone, put under v4's cover letter as raw() puts the others."""
    return mail.replace(b"MIME-Version:", f"In-Reply-To: <{COVER_ID}>\nReferences: <{COVER_ID}>\nMIME-Version:"
                        .encode(), 1)


def write(folder: Path, mails: list[bytes]) -> Path:
    """The mails as ``git format-patch`` names them, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(mails):
        (folder / f"{i:04d}-v4.eml").write_bytes(data)
    return folder


SQUASH_TITLE = "x86/virt/seamldr: Introduce a wrapper for P-SEAMLDR SEAMCALLs"
WARN_TITLE = "x86/virt/tdx: Add seamcall_prerr_warn() and use it"
_KEPT = tuple((None, (n,)) for n in range(1, 8))


def plan(*cases: str, shape: str = "for") -> Plan:
    """v4 with the changes ``cases`` name: a (rename and move), b (the loop in ``shape``), c (05 dropped, 06
    squashed into 07), d (a new wrapper, a patch of its own), f (the P-SEAMLDR leaf's conversion %#llx), g (the TDX
    module's leaf printed with %#llx from 01 on); any together."""
    patches: tuple[tuple[str | None, tuple[Step, ...]], ...] = _KEPT
    edits: list[Edit] = []
    changelog, total = "", 26
    if "c" in cases:
        patches = (*_KEPT[:4], (SQUASH_TITLE, (6, 7)))
        total = 24
        changelog += (" - Drop \"coco/tdx-host: Expose TDX Module version\", it goes in separately\n"
                      " - Squash \"Prepare to support P-SEAMLDR SEAMCALLs\" into \"Introduce a wrapper for\n"
                      "   P-SEAMLDR SEAMCALLs\" [Dave]\n")
    if "r" in cases:  # 05 after 07
        patches = (*(x for x in patches if x[1] != (5,)), _KEPT[4])
        changelog += " - Move \"coco/tdx-host: Expose TDX Module version\" after the P-SEAMLDR wrapper\n"
    if "d" in cases:
        patches = (*patches, (WARN_TITLE, (add_warn_wrapper,)))
        changelog += " - New patch: seamcall_prerr_warn()\n"
    if "a" in cases:
        edits.append(rename_and_move)
        changelog += " - Rename sc_retry() to seamcall_retry() and move it to seamcall_retry.h\n"
    if "h" in cases:
        edits.append(own_loop)
        changelog += " - Retry P-SEAMLDR calls in seamldr_prerr(), sc_retry() is left alone [Dave]\n"
    if "b" in cases:
        edits.append(loop(shape))
        changelog += f" - Rewrite the retry loop ({shape})\n"
    if "f" in cases:
        edits.append(leaf_format())
        changelog += " - Print P-SEAMLDR leaf numbers with %#llx\n"
    respelt: tuple[tuple[str, str], ...] = ()
    if "g" in cases:  # 01 prints the TDX module's leaf with %#llx, not in decimal
        respelt = (("SEAMCALL (%llu)", "SEAMCALL (%#llx)"),)
        edits.append(lambda files: {p: _respelt(t, respelt) for p, t in files.items()})
        changelog += " - Print SEAMCALL leaf numbers with %#llx rather than in decimal\n"
    return Plan(patches, tuple(edits), total, changelog, respelt=respelt)


# -- replies as other clients write them ------------------------------------------------------------------------

REVIEWER = "Rae Viewer <rae@example.net>"


def _reply_head(msgid: str, parent: tuple[str, str, str, str], extra: str = "") -> str:
    subject, _, parent_id, _ = parent
    return (f"From: {REVIEWER}\nTo: {parent[1]}\nSubject: Re: {subject}\nDate: Mon, 07 Dec 2026 12:00:00 +0000\n"
            f"Message-ID: <{msgid}>\nIn-Reply-To: <{parent_id}>\nReferences: <{COVER_ID}> <{parent_id}>\n"
            f"MIME-Version: 1.0\n{extra}")


def gmail_reply(parent: tuple[str, str, str, str], text: str, quoted: int = 12) -> bytes:
    """A Gmail reply below a quote of the patch's first lines ("On ..., NAME <ADDR> wrote:"), text and html parts,
    quoted-printable, CRLF line ends."""
    import quopri

    name, addr = parent[1].rsplit(" <", 1)
    lines = parent[3].split("\n")[:quoted]
    plain = (f"On Mon, Dec 7, 2026 at 10:06\u202fAM {name} <{addr} wrote:\n\n"
             + "".join(f"> {ln}\n" if ln else ">\n" for ln in lines) + ">\n\n" + text + "\n")
    html = "<div dir=\"ltr\">" + text.replace("\n", "<br>") + "</div>\n"
    parts = []
    for ctype, body in (("text/plain", plain), ("text/html", html)):
        parts.append(f"--gmailbound\nContent-Type: {ctype}; charset=\"UTF-8\"\nContent-Transfer-Encoding: "
                     f"quoted-printable\n\n" + quopri.encodestring(body.encode()).decode() + "\n")
    mail = (_reply_head("gmail-reply@mail.gmail.com", parent,
                        "Content-Type: multipart/alternative; boundary=\"gmailbound\"\n") + "\n"
            + "".join(parts) + "--gmailbound--\n")
    return mail.replace("\n", "\r\n").encode()


def outlook_reply(parent: tuple[str, str, str, str], text: str) -> bytes:
    """An Outlook reply written above an unquoted copy of the whole patch mail ("-----Original Message-----"),
    base64, CRLF line ends."""
    import base64

    copy = (f"-----Original Message-----\nFrom: {parent[1]}\nSent: Monday, December 7, 2026 10:06 AM\n"
            f"To: linux-kernel@vger.kernel.org\nSubject: {parent[0]}\n\n{parent[3]}")
    body = (text + "\n\n" + copy).replace("\n", "\r\n").encode()
    mail = _reply_head("outlook-reply@example.net", parent,
                       "Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: base64\n")
    return mail.replace("\n", "\r\n").encode() + b"\r\n" + base64.encodebytes(body).replace(b"\n", b"\r\n")
