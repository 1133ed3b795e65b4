"""Proposals in a review reply's own words: diffs as git apply reads them, bare hunks, '-'/'+' lines, C snippets."""

from __future__ import annotations

import re
from dataclasses import replace

from harness.attribution import is_scissors
from harness.diffmodel import Hunk, HunkLine, LineKind, PatchedFile
from harness.diffparse import parse_diff
from harness.diffspan import HUNK_HEAD as _HUNK_HEAD  # shared with the diff span (one pattern)
from harness.diffspan import completed_below, read_on
from harness.diffspan import diff_end as _diff_end
from harness.errors import InputError, Where
from harness.model import Mail, Proposal, ProposalKind, Skipped
from models.lazyre import lazy
from reports.safe import counted

DIFF_HEAD = re.compile(r"^(diff --git |--- (a/|/dev/null))")
_CODE_END = (";", "{", "}", ")", "\\", ",", "{;")
_CODE_START = re.compile(r"^\s*(#\s*(define|include|if|endif|else|undef)\b|}|else\b|do\b|return\b)")
# A hunk header as reviewers sketch one, '@@ ... @@ func()': two '@@' marks, but no line numbers git apply can read.
_SKETCHED_HEAD = re.compile(r"^\s*@@ .*@@")


def _bare_hunk(block: list[tuple[int, str]], mail: Mail) -> Hunk:
    """A hunk pasted without file headers; counts may lie and tabs may have become spaces."""
    lineno, head = block[0]
    m = _HUNK_HEAD.match(head)
    assert m is not None
    body: list[HunkLine] = []
    kinds = {" ": LineKind.CONTEXT, "-": LineKind.REMOVED, "+": LineKind.ADDED}
    for _, text in block[1:]:
        kind = kinds.get(text[:1], LineKind.CONTEXT)
        body.append(HunkLine(kind, text[1:] if text[:1] in kinds else text, None, None))
    return Hunk(
        source_start=int(m.group(1)),
        source_length=int(m.group(2) or 1),
        target_start=int(m.group(3)),
        target_length=int(m.group(4) or 1),
        section=m.group(5),
        lines=tuple(body),
        where=Where(mail.where.path, lineno, mail.msgid),
    )


def _changed_lines(block: list[tuple[int, str]]) -> bool:
    """Whether a paragraph is '-' and '+' lines of code with no '@@' header ('-\tint tries = 3;' over
    '+\tint tries = 5;'): each line a mark and code (a tab after the mark, or a line ending as code does), both
    marks there; a list of '- item' lines is prose, and '--'/'++' starts no such line (a signature, a '---')."""
    def code(t: str) -> bool:
        return t[:1] in ("-", "+") and t[1:2] not in ("-", "+") and (t[1:2] == "\t" or _is_code(t[1:]))
    return all(code(t) for _, t in block) and {t[:1] for _, t in block} == {"-", "+"}


def _headerless_hunk(block: list[tuple[int, str]], mail: Mail) -> Hunk:
    """The '-'/'+' lines as a hunk with no place of its own (0: harness.hunkfit finds it where they fit)."""
    kinds = {"-": LineKind.REMOVED, "+": LineKind.ADDED}
    lines = tuple(HunkLine(kinds[t[:1]], t[1:], None, None) for _, t in block)
    return Hunk(0, sum(ln.kind is LineKind.REMOVED for ln in lines), 0, sum(ln.kind is LineKind.ADDED for ln in lines),
                "", lines, Where(mail.where.path, block[0][0], mail.msgid))


def _is_code(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s.endswith(_CODE_END) or bool(_CODE_START.match(s)))


def _diffish(text: str) -> bool:
    return text[:1] in (" ", "+", "-", "@", "\\") or text.startswith(("diff ", "index ", "new file", "deleted file"))


# A file's header in a diff: "diff --git a/PATH ...", or a "--- a/PATH" that no "diff --git" line just opened.
_GIT_HEAD = lazy(r"^diff --git (?:\S+/)?(\S+) ")
_OLD_HEAD = lazy(r"^--- (?:\S+/)?(\S+)")
_HEADER_LINE = lazy(r"^(diff --git |index |(old|new|deleted file|new file) mode |similarity |dissimilarity |"
                          r"rename |copy |Binary )")


def _file_again(current: list[tuple[int, str]], line: str) -> bool:
    """Whether ``line`` opens a diff of a file the diff ``current`` already changes: a second diff pasted below
    the first ("or, with a helper:" left out), which git diff never writes in one output (one header a file); read
    as one, git apply would put the second on the first's result, and neither would be tried alone."""
    git, old, header = _GIT_HEAD(), _OLD_HEAD(), _HEADER_LINE()
    m = git.match(line) or (old.match(line) if not header.match(current[-1][1]) else None)
    if m is None or m.group(1) == "null":
        return False
    return any((h := git.match(t) or (old.match(t) if i == 0 or not header.match(current[i - 1][1])
                                      else None)) is not None and h.group(1) == m.group(1)
               for i, (_, t) in enumerate(current))


def _blocks(own: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Paragraphs of own text; a diff or hunk runs on across blank context lines. A diff or hunk header
    starts a block of its own even with no blank line before it (after a scissors line, a commit message,
    a "---"), and a scissors line ends one; so does a diff of a file the diff before it changes (_file_again).
    Own lines with a quote between them are two paragraphs, blank line or not (but within a diff)."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, item in enumerate(own):
        in_diff = bool(current) and bool(DIFF_HEAD.match(current[0][1]) or _HUNK_HEAD.match(current[0][1]))
        if is_scissors(item[1]) or (not in_diff and current and (DIFF_HEAD.match(item[1])
                                                                   or _HUNK_HEAD.match(item[1])
                                                                   or item[0] != current[-1][0] + 1)) \
                or (in_diff and DIFF_HEAD.match(item[1]) and _file_again(current, item[1])):
            if current:
                blocks.append(current)
            current = [] if is_scissors(item[1]) else [item]
            continue
        if in_diff and item[1].strip() == "" and item[1]:
            current.append(item)  # a context line that is only the space marker
            continue
        if in_diff and item[1] == "" and i + 1 < len(own) and _diffish(own[i + 1][1]) and own[i + 1][1].strip() \
                and not (DIFF_HEAD.match(own[i + 1][1]) and _file_again(current, own[i + 1][1])):
            current.append((item[0], " "))  # a mailer stripped the blank context line's marker
            continue
        if item[1].strip():
            current.append(item)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _sketched_hunk(block: list[tuple[int, str]], mail: Mail) -> Skipped | None:
    """Why '-'/'+' lines under a hunk header with no line numbers ('@@ ... @@', pseudo-code) are no proposal: git
    apply finds no patch in them ("No valid patches in input"), so no variant is made; said, not dropped unsaid."""
    for i, (line, text) in enumerate(block):
        if _SKETCHED_HEAD.match(text) and _HUNK_HEAD.match(text) is None \
                and any(t[:1] in ("-", "+") and t[1:2] not in ("-", "+") for _, t in block[i + 1:]):
            return Skipped(Where(mail.where.path, line, mail.msgid),
                           f"hunk in the reply of {mail.author} <{mail.msgid}> not read as a proposal: its header "
                           f"{text.strip()[:40]!r} at line {line} gives no line numbers, so git apply finds no patch "
                           "in it (pseudo-code?)")
    return None


def _unread_diff(block: list[tuple[int, str]], exc: InputError, mail: Mail, own: list[tuple[int, str]]) -> Skipped:
    """Why a diff in a reply is no proposal, at the line where git apply stops: a line inside a hunk that is
    not context, added or removed ("corrupt patch at line N": a mailer wrapped a long line), a line past the block
    a short hunk reads on into (harness.diffspan.read_on), else the hunk."""
    end = _diff_end(block, 0)
    who = f"diff in the reply of {mail.author} <{mail.msgid}> not read as a proposal"
    if end == len(block) and (past := read_on(own, block, who, mail)) is not None:
        return past
    # Only past a hunk's header is such a line inside a hunk; one among the file's header lines (a mailer wrapped
    # the diff --git line) is the header's end, as parse_diff says (harness.diffclaims.header_ended).
    inside = any(_HUNK_HEAD.match(t) for _, t in block[:end])
    if end < len(block) and inside and _HUNK_HEAD.match(block[end][1]) is None:
        line, text = block[end]
        return Skipped(Where(mail.where.path, line, mail.msgid),
                       f"{who}: corrupt diff at line {line} ({text[:40]!r} inside a hunk, which git apply refuses "
                       "as a corrupt patch: a line a mailer wrapped?)")
    return Skipped(exc.where or Where(mail.where.path, block[0][0], mail.msgid), f"{who}: {exc.message}")


def _diff_files(block: list[tuple[int, str]], own: list[tuple[int, str]], mail: Mail, where: Where
                ) -> tuple[tuple[PatchedFile, ...], str, tuple[Skipped, ...]]:
    """A diff's files as git apply reads them, its text, and what is said of it: why it is no proposal, or that the
    empty lines below the block complete its last hunk (git apply reads them as context lines, so git mailinfo and
    git apply take the diff: a proposal, whether its context fits decided as any diff's, harness.proposalfit)."""
    text = "\n".join(t for _, t in block)
    try:
        return parse_diff(text + "\n", where, [n for n, _ in block]), text, ()
    except InputError as exc:
        whole = completed_below(own, block)
        longer = "\n".join(t for _, t in whole or ())
        try:
            files = parse_diff(longer + "\n", where, [n for n, _ in whole]) if whole else ()
        except InputError:
            files = ()
        if not files or whole is None:
            return (), text, (replace(_unread_diff(block, exc, mail, own), unread_diff=True),)
    n = len(whole) - len(block)
    return files, longer, (Skipped(Where(mail.where.path, whole[len(block)][0], mail.msgid), (
        f"diff in the reply of {mail.author} <{mail.msgid}>: its last hunk is completed by the "
        f"{counted(n, 'empty line')} below it, which git apply reads as context lines (a blank context line whose "
        "space a mailer stripped, or a line it dropped?): read as a proposal with them, as git am reads it")),)


_PATCH_NAME = (".patch", ".diff")
# The lines of a diff (a hunk's, its headers', git's extended headers): what a diff of a patch file adds or removes.
_DIFF_LINE = ("+", "-", " ", "@@", "\\", "diff ", "index ", "new file mode", "deleted file mode", "old mode",
              "new mode", "similarity index", "dissimilarity index", "rename ", "copy ", "Binary files")


def _of_a_patch(files: tuple[PatchedFile, ...], mail: Mail, where: Where) -> Skipped | None:
    """Why a reply's diff of a patch file (``0003-x.patch``, every line it adds or removes a diff's line:
    the reviewer's new version of the patch, diffed against the mail's) is no proposal on the tree: git apply
    of it changes a file of that name, which the tree lacks, and the code it means to change stays as it is (a
    variant of it ran the patch's code unchanged: "no behaviour change" of a proposal that changes it). Said."""
    for f in files:
        changed = [ln.text for h in f.hunks for ln in h.lines if ln.kind is not LineKind.CONTEXT]
        if f.path.endswith(_PATCH_NAME) and changed and all(t.startswith(_DIFF_LINE) for t in changed):
            return Skipped(where, f"diff in the reply of {mail.author} <{mail.msgid}> not read as a proposal: it "
                                  f"changes {f.path}, a patch file (each line it adds or removes is a diff line), not "
                                  "the tree: the new version of the patch it shows is not applied")
    return None


def without_code(text: str) -> str:
    """A reply's own words less the paragraphs find_proposals reads as code: a diff (read or not), hunks, '-'/'+'
    lines, a C snippet. A line of them ('+\t/* Do not retry more than seven times. */') is no sentence of the
    reviewer's: read as one, a review point quoted the reviewer's proposed code as what they asked."""
    lines = list(enumerate(text.split("\n")))
    code = {n for block in _blocks(lines) if _is_code_block(block) for n, _ in block}
    return "\n".join(t for n, t in lines if n not in code)


def _is_code_block(block: list[tuple[int, str]]) -> bool:
    first = block[0][1]
    if DIFF_HEAD.match(first) or _HUNK_HEAD.match(first) or _changed_lines(block):
        return True
    if any(_SKETCHED_HEAD.match(t) and _HUNK_HEAD.match(t) is None for _, t in block):
        return True  # '@@ ... @@' over '-'/'+' lines: pseudo-code (_sketched_hunk)
    return all(_code_line(t) for _, t in block) and any(c in t for _, t in block for c in (";", "{", "#define", "/*"))


# A C comment's line: its start, a line ending one, a '//' line.
_COMMENT_LINE = lazy(r"^\s*(/\*|//)|\*/\s*$")


def _code_line(text: str) -> bool:
    """Whether a line is code, a diff's line of it too: '-'/'+'/' ' before a tab (kernel code's indent), or code or a C
    comment after a '-' or '+' ('+/* Do not retry. */', of a diff a mailer broke up)."""
    if text[:1] in ("+", "-", " ") and text[1:2] == "\t":
        return True
    body = text[1:] if text[:1] in ("+", "-") and text[1:2] not in ("+", "-") else text
    return _is_code(body) or bool(_COMMENT_LINE().search(body))


def find_proposals(own: list[tuple[int, str]], mail: Mail, of_patch_files: list[tuple[Proposal, Skipped]] | None = None
                   ) -> tuple[tuple[Proposal, ...], tuple[Skipped, ...]]:
    """Diffs, bare hunks and C snippets written in the reply's own words; and each diff that git apply would
    refuse as it stands (a line a mailer wrapped), with its place and why: not a proposal, but said. A diff of a
    patch file (_of_a_patch) is said too, and added to ``of_patch_files`` with its note (Reply.patch_diffs)."""
    found: list[Proposal] = []
    unread: list[Skipped] = []
    for block in _blocks(own):
        first_line, first = block[0]
        text = "\n".join(t for _, t in block)
        where = Where(mail.where.path, first_line, mail.msgid)
        if DIFF_HEAD.match(first):
            files, text, said = _diff_files(block, own, mail, where)
            unread.extend(said)
            if files and (of_patch := _of_a_patch(files, mail, where)) is not None:
                unread.append(of_patch)
                if of_patch_files is not None:
                    of_patch_files.append((Proposal(ProposalKind.DIFF, text, mail.msgid, mail.author, where,
                                                    files=files), of_patch))
                continue
            if files:
                found.append(Proposal(ProposalKind.DIFF, text, mail.msgid, mail.author, where, files=files))
                continue
        if _HUNK_HEAD.match(first):
            # Hunks pasted one after another (git diff's, less its file headers): one proposal each, as git apply
            # reads each '@@' line as the next hunk's header (harness.hunkfit joins them again).
            heads = [i for i, (_, t) in enumerate(block) if _HUNK_HEAD.match(t)]
            for a, b in zip(heads, [*heads[1:], len(block)], strict=True):
                part = block[a:b]
                found.append(Proposal(ProposalKind.HUNK, "\n".join(t for _, t in part), mail.msgid, mail.author,
                                      Where(mail.where.path, part[0][0], mail.msgid), hunks=(_bare_hunk(part, mail),)))
            continue
        if not DIFF_HEAD.match(first) and (sketched := _sketched_hunk(block, mail)) is not None:
            unread.append(sketched)
            continue
        if _changed_lines(block):
            found.append(Proposal(ProposalKind.HUNK, text, mail.msgid, mail.author, where,
                                  hunks=(_headerless_hunk(block, mail),)))
            continue
        if all(_is_code(t) for _, t in block) and any(
            c in text for c in (";", "{", "#define")
        ):
            found.append(Proposal(ProposalKind.SNIPPET, text, mail.msgid, mail.author, where))
    return tuple(found), tuple(unread)
