"""A small kernel-like git tree and a maintainer's own `git format-patch -v1/-v2 --cover-letter --base` series on it.

Nothing here comes from the corpus: the C, the subjects and the prose are written for these tests. The tree holds
the helpers under the names a tree nobody here has seen may use (``sc_retry()`` in ``tdx.c``), a Makefile chain,
Kconfig and ``include/linux`` stubs; the series renames the retry helper to ``seamcall_retry()``, moves the helpers
to a header of their own, drops a patch between v1 and v2, adds a P-SEAMLDR wrapper in a new ``.c`` file, changes
the retry count and the error line's printk format. git writes every mail (``format-patch``), as a maintainer's
would be; ``python -m tests.harness.kerneltreegen DIR`` builds it all in DIR for a look by hand.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.gitoracle import git_env

DIR = "arch/x86/virt/vmx/tdx"
BASE_TAG = "v6.99-rc1"
SENDER = "Mia Maintainer <mia@example.net>"

_ASM_TDX = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_TDX_H
#define _ASM_X86_TDX_H

#include <linux/types.h>

struct tdx_module_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
	u64 rbx;
	u64 rdi;
	u64 rsi;
};

u64 __seamcall(u64 fn, struct tdx_module_args *args);
u64 __seamcall_ret(u64 fn, struct tdx_module_args *args);

#endif
"""

ARCHRANDOM_H = "arch/x86/include/asm/archrandom.h"
ARCHRANDOM = """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_X86_ARCHRANDOM_H
#define ASM_X86_ARCHRANDOM_H

#define RDRAND_RETRY_LOOPS\t10
#define RDRAND_WORDS\t\t4

#endif
"""

_HELPERS = """\
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);

static __always_inline u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = RDRAND_RETRY_LOOPS;
	u64 ret;

	do {
		ret = func(fn, args);
	} while (ret == TDX_RND_NO_ENTROPY && --retry);

	return ret;
}

static void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)
{
	pr_err("SEAMCALL (0x%016llx) failed: 0x%016llx\\n", fn, err);
}

static __always_inline int sc_retry_prerr(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	u64 sret = sc_retry(func, fn, args);

	if (sret == TDX_SUCCESS)
		return 0;
	seamcall_err(fn, sret, args);
	return -EIO;
}

#define seamcall(_fn, _args)		sc_retry(__seamcall, (_fn), (_args))
#define seamcall_ret(_fn, _args)	sc_retry(__seamcall_ret, (_fn), (_args))
#define seamcall_prerr(_fn, _args)	sc_retry_prerr(__seamcall, (_fn), (_args))
"""

_USERS = """\
int tdx_sys_info(struct tdx_module_args *args)
{
	return seamcall_prerr(TDH_SYS_INFO, args);
}

int tdx_cpu_enable(void)
{
	struct tdx_module_args args = {};

	return seamcall_prerr(TDH_SYS_LP_INIT, &args);
}
"""

_TDX_HEAD = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/types.h>
#include <linux/printk.h>
#include <linux/errno.h>
#include <asm/archrandom.h>
#include <asm/tdx.h>
"""
_LEAVES = "\n#define TDH_SYS_INFO\t\t32\n#define TDH_SYS_LP_INIT\t\t35\n"

_TREE = {
    "Makefile": "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 99\nSUBLEVEL = 0\n"
                "EXTRAVERSION = -rc1\n\nobj-y += arch/x86/\n",
    "Kconfig": "# SPDX-License-Identifier: GPL-2.0\nmainmenu \"Test kernel\"\n\nsource \"arch/x86/Kconfig\"\n",
    "arch/x86/Kconfig": "config X86\n\tdef_bool y\n\nconfig X86_64\n\tdef_bool y\n\n"
                        "config INTEL_TDX_HOST\n\tbool \"TDX host\"\n\tdepends on X86_64\n",
    "arch/x86/Makefile": "obj-y += virt/\n",
    "arch/x86/virt/Makefile": "obj-y += vmx/\n",
    "arch/x86/virt/vmx/Makefile": "obj-$(CONFIG_INTEL_TDX_HOST) += tdx/\n",
    f"{DIR}/Makefile": "# SPDX-License-Identifier: GPL-2.0\nobj-y += seamcall.o tdx.o\n",
    f"{DIR}/seamcall.S": "/* SPDX-License-Identifier: GPL-2.0 */\n/* the SEAMCALL entry, in assembly */\n",
    f"{DIR}/tdx.c": _TDX_HEAD + _LEAVES + "\n" + _HELPERS + "\n" + _USERS,
    "arch/x86/include/asm/tdx.h": _ASM_TDX,
    ARCHRANDOM_H: ARCHRANDOM,
    "include/linux/types.h": "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _LINUX_TYPES_H\n"
                             "#define _LINUX_TYPES_H\ntypedef unsigned long long u64;\n#endif\n",
    "include/linux/printk.h": "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _LINUX_PRINTK_H\n"
                              "#define _LINUX_PRINTK_H\nint _printk(const char *fmt, ...);\n#endif\n",
    "include/linux/errno.h": "/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _LINUX_ERRNO_H\n"
                             "#define _LINUX_ERRNO_H\n#define EIO 5\n#endif\n",
}


@dataclass(frozen=True)
class Built:
    """What ``build`` made: the tree, each revision's format-patch folder, and the base's tag."""

    tree: Path
    out: dict[int, Path]  # version -> the folder `git format-patch -o` wrote
    base: str = BASE_TAG


def _git(repo: Path, *args: str, when: int = 0) -> str:
    env = git_env(repo.parent / ".home")
    (repo.parent / ".home").mkdir(exist_ok=True)
    date = f"2026-11-{1 + when:02d}T10:00:00Z"
    env.update(GIT_AUTHOR_NAME="Mia Maintainer", GIT_AUTHOR_EMAIL="mia@example.net",
               GIT_COMMITTER_NAME="Mia Maintainer", GIT_COMMITTER_EMAIL="mia@example.net",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True,
                          timeout=60).stdout


def _write(repo: Path, files: dict[str, str | None]) -> None:
    for path, text in files.items():
        target = repo / path
        if text is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _commit(repo: Path, title: str, body: str, files: dict[str, str | None], when: int) -> None:
    _write(repo, files)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", f"{title}\n\n{body}\n\nSigned-off-by: {SENDER}", when=when)


def _helper_header(retries: str) -> str:
    text = _HELPERS.replace("sc_retry(", "seamcall_retry(").replace("sc_retry_prerr(", "seamcall_retry_prerr(")
    text = text.replace("RDRAND_RETRY_LOOPS", retries).replace("static void seamcall_err", "static inline void "
                                                                                              "seamcall_err")
    return ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef _X86_VIRT_SEAMCALL_H\n#define _X86_VIRT_SEAMCALL_H\n\n"
            "#include <linux/types.h>\n#include <linux/printk.h>\n#include <linux/errno.h>\n"
            "#include <asm/archrandom.h>\n#include <asm/tdx.h>\n\n"
            + text + "\n#endif\n")


def _renamed(text: str) -> str:
    return text.replace("sc_retry(", "seamcall_retry(").replace("sc_retry_prerr(", "seamcall_retry_prerr(")


_SEAMLDR_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr: " fmt

#include "seamcall.h"

#define SEAMLDR_INFO\t\t0x8000000000000000ULL

int seamldr_info(struct tdx_module_args *args)
{
	return seamcall_prerr(SEAMLDR_INFO, args);
}
"""


_RET_MACRO = "#define seamcall_ret(_fn, _args)\tseamcall_retry(__seamcall_ret, (_fn), (_args))\n"


def _steps(version: int) -> list[tuple[str, str, dict[str, str | None]]]:
    """The commits of one revision: (title, body, files)."""
    tdx = _TDX_HEAD + _LEAVES + "\n" + _HELPERS + "\n" + _USERS
    moved = _TDX_HEAD.replace("#include <asm/tdx.h>\n", "#include <asm/tdx.h>\n\n#include \"seamcall.h\"\n") \
        + _LEAVES + "\n" + _USERS
    header = _helper_header("RDRAND_RETRY_LOOPS")
    hex_v1 = ('"SEAMCALL (0x%016llx) failed: 0x%016llx\\n"', '"SEAMCALL (%#llx) failed: %#llx\\n"')
    hex_v2 = ('"SEAMCALL (0x%016llx) failed: 0x%016llx\\n"', '"SEAMCALL %#llx failed: %#018llx\\n"')
    fmt = hex_v1 if version == 1 else hex_v2
    steps = [
        ("x86/virt/tdx: Rename sc_retry() to seamcall_retry()",
         "The retry helper is the one SEAMCALL path every caller takes; name it after what it wraps.",
         {f"{DIR}/tdx.c": _renamed(tdx)}),
        ("x86/virt/tdx: Move the SEAMCALL helpers to a header",
         "A P-SEAMLDR user outside tdx.c needs them.",
         {f"{DIR}/tdx.c": moved, f"{DIR}/seamcall.h": header}),
    ]
    if version == 1:
        header = header.replace(_RET_MACRO, "")
        steps.append(("x86/virt/tdx: Drop the unused seamcall_ret() macro", "Nothing calls it.",
                      {f"{DIR}/seamcall.h": header}))
    printed = header.replace(*fmt)
    steps.append(("x86/virt/tdx: Print SEAMCALL errors in the module's notation",
                  "The TDX module documentation writes leaves and status codes this way.",
                  {f"{DIR}/seamcall.h": printed}))
    wrapper: dict[str, str | None] = {
        f"{DIR}/seamldr.c": _SEAMLDR_C,
        f"{DIR}/Makefile": "# SPDX-License-Identifier: GPL-2.0\nobj-y += seamcall.o tdx.o seamldr.o\n"}
    body = "Add seamldr_info(), the first P-SEAMLDR call."
    if version == 2:
        wrapper[f"{DIR}/seamcall.h"] = printed.replace("int retry = RDRAND_RETRY_LOOPS;", "int retry = 16;")
        body += "\n\nThe P-SEAMLDR runs out of entropy more often: retry 16 times, not RDRAND_RETRY_LOOPS."
    steps.append(("x86/virt/tdx: Add a P-SEAMLDR info wrapper", body, wrapper))
    return steps


_COVER = {
    1: ("x86/virt/tdx: SEAMCALL helper cleanups and a P-SEAMLDR wrapper",
        "This renames the SEAMCALL retry helper, moves the helpers to a header and\n"
        "adds the first P-SEAMLDR wrapper on top."),
    2: ("x86/virt/tdx: SEAMCALL helper cleanups and a P-SEAMLDR wrapper",
        "This renames the SEAMCALL retry helper, moves the helpers to a header and\n"
        "adds the first P-SEAMLDR wrapper on top.\n\n"
        "Changes in v2:\n"
        " - dropped \"Drop the unused seamcall_ret() macro\": a user is coming\n"
        " - the error line prints the status zero-padded\n"
        " - retry 16 times in the wrapper's patch"),
}


def _fill_cover(folder: Path, version: int) -> None:
    """Edit the cover letter as a maintainer does: the subject and blurb placeholders replaced."""
    cover = next(folder.glob("*0000-cover-letter.patch"))
    title, blurb = _COVER[version]
    text = cover.read_text().replace("*** SUBJECT HERE ***", title).replace("*** BLURB HERE ***", blurb)
    cover.write_text(text)


def build(where: Path, thread: bool = False) -> Built:
    """The tree in ``where/linux`` (base tagged ``BASE_TAG``, branches ``v1`` and ``v2``) and each revision as
    ``git format-patch --cover-letter -vN --base=BASE_TAG -o where/vN`` writes it (``thread``: with ``--thread``,
    so that each mail has a Message-ID and the patches answer the cover letter, as git send-email sends them)."""
    repo = where / "linux"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "master")
    _commit(repo, "Linux 6.99-rc1", "The base.", dict(_TREE), 0)
    _git(repo, "tag", BASE_TAG)
    out: dict[int, Path] = {}
    for version in (1, 2):
        _git(repo, "checkout", "-q", "-b", f"v{version}", BASE_TAG)
        for n, (title, body, files) in enumerate(_steps(version)):
            _commit(repo, title, body, files, 2 + 5 * version + n)
        folder = where / f"v{version}"
        _git(repo, "format-patch", "-q", "--cover-letter", f"-v{version}", f"--base={BASE_TAG}", "-o", str(folder),
             *(["--thread=shallow"] if thread else []), f"{BASE_TAG}..v{version}")
        _fill_cover(folder, version)
        out[version] = folder
    _git(repo, "checkout", "-q", "master")
    if thread:
        _a_day_earlier(out[1])
    return Built(repo, out)


def _a_day_earlier(folder: Path) -> None:
    """v1's Message-IDs as format-patch writes them a day before v2's: it names them by the time it runs
    (``<SHA.TIME.git.EMAIL>``, ``<cover.TIME.git.EMAIL>``), so two runs in one second would share the cover's."""
    for mail in folder.iterdir():
        text = mail.read_text()
        stamp = re.search(r"<cover\.(\d+)\.git\.", text)
        if stamp is None:
            stamp = re.search(r"^Message-I[dD]: <\w+\.(\d+)\.git\.", text, re.M)
        if stamp:
            mail.write_text(text.replace(f".{stamp.group(1)}.git.", f".{int(stamp.group(1)) - 86400}.git."))


def message_id(mail: Path) -> str:
    """The Message-ID format-patch gave a mail (with ``--thread``)."""
    found = re.search(r"^Message-I[dD]: <([^>]+)>", mail.read_text(), re.M)
    assert found is not None, mail
    return found.group(1)


def lore_thread(built: Built, root: Path, reply: str) -> str:
    """v2's thread as a public-inbox serves it, at ``root/all/COVER-ID/t.mbox.gz`` (an mboxrd of the mails as
    git send-email sends them, and a reply to patch 3 whose body is ``reply``); its cover letter's Message-ID."""
    mails = sorted(built.out[2].iterdir())
    cover, third = message_id(mails[0]), message_id(mails[3])
    answer = (f"From: Rita Reviewer <rita@example.com>\nDate: Mon, 2 Nov 2026 09:00:00 +0000\n"
              f"Subject: Re: [PATCH v2 3/4] x86/virt/tdx: Print SEAMCALL errors in the module's notation\n"
              f"Message-Id: <review-1@example.com>\nIn-Reply-To: <{third}>\nReferences: <{cover}> <{third}>\n\n"
              f"{reply}\n")
    texts = [m.read_text() for m in mails] + [f"From mboxrd@z Thu Jan  1 00:00:00 1970\n{answer}"]
    folder = root / "all" / cover
    folder.mkdir(parents=True)
    (folder / "t.mbox.gz").write_bytes(gzip.compress("\n".join(texts).encode()))
    return cover


def one_patch(built: Built, where: Path, path: str, old: str, new: str) -> Path:
    """A one-patch series (``git format-patch --cover-letter --base``) on the tree's base that only makes ``old``
    ``new`` in the base's file ``path`` (asm/archrandom.h's constants, tdx.c's pr_fmt): the folder it is in."""
    repo = built.tree
    _git(repo, "checkout", "-q", "-b", f"one-{where.name}", BASE_TAG)
    text = _TREE[path]
    assert old in text, old
    _commit(repo, "x86/virt/tdx: Tune a constant", "Measured on a busy host.", {path: text.replace(old, new)}, 20)
    _git(repo, "format-patch", "-q", "--cover-letter", f"--base={BASE_TAG}", "-o", str(where), "HEAD~1..HEAD")
    _git(repo, "checkout", "-q", "master")
    return where


def rebased(built: Built, where: Path) -> Path:
    """v2 as its author sends it after rebasing on ``v6.99-rc2``, a newer base whose tdx.c makes tdx_cpu_enable()
    return -EINVAL where it returned seamcall_prerr()'s -EIO (``git cherry-pick``, ``format-patch --base``)."""
    repo = built.tree
    _git(repo, "checkout", "-q", "-b", "rc2", BASE_TAG)
    tdx = f"{DIR}/tdx.c"
    _commit(repo, "Linux 6.99-rc2", "The next base.", {tdx: _TREE[tdx].replace(
        "\treturn seamcall_prerr(TDH_SYS_LP_INIT, &args);", "\tif (seamcall_prerr(TDH_SYS_LP_INIT, &args))\n"
        "\t\treturn -EINVAL;\n\treturn 0;")}, 21)
    _git(repo, "tag", "v6.99-rc2")
    _git(repo, "checkout", "-q", "-b", "v2-rebased")
    _git(repo, "cherry-pick", f"{BASE_TAG}..v2", when=22)
    _git(repo, "format-patch", "-q", "--cover-letter", "-v2", "--base=v6.99-rc2", "-o", str(where),
         "v6.99-rc2..v2-rebased")
    _fill_cover(where, 2)
    _git(repo, "checkout", "-q", "master")
    return where


Commit = tuple[str, str, dict[str, str | None]]  # title, body, the files it writes (None: deleted)


def revisions_on(built: Built, where: Path, revisions: dict[int, list[Commit]], title: str) -> dict[int, Path]:
    """Each revision of ``revisions`` committed on the tree's base, as ``git format-patch --cover-letter -vN
    --base=BASE_TAG -o where/vN`` writes it, its cover letter's subject ``title``: the folder of each."""
    repo, out = built.tree, {}
    for version, commits in revisions.items():
        branch = f"{where.name}-v{version}"
        _git(repo, "checkout", "-q", "-b", branch, BASE_TAG)
        for n, (subject, body, files) in enumerate(commits):
            _commit(repo, subject, body, files, 2 + 5 * version + n)
        out[version] = where / f"v{version}"
        _git(repo, "format-patch", "-q", "--cover-letter", f"-v{version}", f"--base={BASE_TAG}", "-o",
             str(out[version]), f"{BASE_TAG}..{branch}")
        cover = next(out[version].glob("*0000-cover-letter.patch"))
        cover.write_text(cover.read_text().replace("*** SUBJECT HERE ***", title).replace(
            "*** BLURB HERE ***", f"Version {version} of the series."))
    _git(repo, "checkout", "-q", "master")
    return out


def commits(version: int) -> list[Commit]:
    """The commits of revision ``version`` as ``build`` makes them (for a series of one's own on the same tree), and
    seamldr.c as their last patch creates it: ``commits(1)[-1][2]``."""
    return _steps(version)


def tree_file(path: str) -> str:
    """The text of ``path`` in the tree's base."""
    return _TREE[path]


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), thread="--thread" in sys.argv))
