"""One message into Mail facts, and a patch message's parts: log, trailers, notes, diffstat, diff."""

from __future__ import annotations

import hashlib
import re
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

from harness.diffparse import diff_start, parse_diff
from harness.errors import Where
from harness.model import ChangelogBlock, Mail, Patch, PatchedFile, Trailer
from harness.sources import RawMessage
from harness.subject import parse_subject

_TRAILER = re.compile(r"^([A-Z][A-Za-z0-9-]*-by|Fixes|Link|Closes|Cc|Reported-and-tested-by):\s*(.+)$")
_MSGID = re.compile(r"<([^<>\s]+)>")
_CHANGELOG = re.compile(r"^\s*(?:changes\s+(?:in|since)\s+)?v(\d+)\s*(?:->\s*v\d+\s*)?:?\s*(.*)$", re.I)
_DIFFSTAT = re.compile(r"^ \S.* \| +(\d+ ?[+-]*|Bin .*)$")
_DIFFSTAT_SUMMARY = re.compile(r"^ \d+ files? changed")
_BASE = re.compile(r"^base-commit:\s*([0-9a-f]{7,40})\s*$", re.MULTILINE)
_PATCH_TYPES = ("text/x-patch", "text/x-diff", "text/x-csrc")


def _decode(part: Message) -> str:
    try:
        text = part.get_content() if isinstance(part, EmailMessage) else None
    except (LookupError, UnicodeError, AssertionError, KeyError):
        text = None
    if isinstance(text, str):
        return text
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    return str(part.get_payload())


def body_text(msg: EmailMessage) -> str:
    """The message's text: its first plain part, then any patch attachment."""
    if not msg.is_multipart():
        return _decode(msg).replace("\r\n", "\n")
    texts: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        filename = (part.get_filename() or "").lower()
        is_patch = ctype in _PATCH_TYPES or filename.endswith((".patch", ".diff"))
        if (ctype == "text/plain" and not texts) or is_patch:
            texts.append(_decode(part).replace("\r\n", "\n"))
    return "\n".join(texts)


def _msgids(value: str | None) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value or "")) or ((value.strip(),) if value and value.strip() else ())


def mail_of(raw: RawMessage) -> Mail:
    """Header facts; a missing Message-ID gets one derived from the content."""
    msg = raw.message
    ids = _msgids(str(msg.get("Message-ID", "")))
    msgid = ids[0] if ids else (
        "sha1-" + hashlib.sha1(msg.as_bytes(policy=msg.policy)).hexdigest()[:16] + "@missing"
    )
    name, addr = parseaddr(str(msg.get("From", "")))
    if not name and msg.get("From"):
        pairs = getaddresses([str(msg.get("From"))])
        name, addr = pairs[0] if pairs else ("", "")
    parent = _msgids(str(msg.get("In-Reply-To", "")))
    return Mail(
        msgid=msgid,
        subject=parse_subject(str(msg.get("Subject", ""))),
        author=name or addr or "unknown",
        author_email=addr,
        date=str(msg.get("Date", "")),
        in_reply_to=parent[0] if parent else None,
        references=_msgids(str(msg.get("References", ""))),
        where=Where(raw.where.path, raw.where.line, msgid),
    )


def trailers_of(numbered: list[tuple[int, str]], where: Where) -> tuple[Trailer, ...]:
    """Every trailer-shaped line of (line number, text) pairs."""
    found = []
    for lineno, line in numbered:
        if (m := _TRAILER.match(line.strip())) is not None:
            found.append(Trailer(m.group(1), m.group(2).strip(), Where(where.path, lineno, where.msgid)))
    return tuple(found)


def _changelog(notes: list[str]) -> tuple[ChangelogBlock, ...]:
    blocks: list[ChangelogBlock] = []
    version: int | None = None
    current: list[str] = []
    for line in notes:
        m = _CHANGELOG.match(line)
        if m and not line.startswith((" ", "\t", "-", "*")):
            if current and any(c.strip() for c in current):
                blocks.append(ChangelogBlock(version, tuple(current)))
            version, current = int(m.group(1)), [m.group(2)] if m.group(2).strip() else []
            continue
        current.append(line)
    if current and any(c.strip() for c in current):
        blocks.append(ChangelogBlock(version, tuple(c for c in current)))
    return tuple(
        ChangelogBlock(b.version, tuple(x.rstrip() for x in b.lines if x.strip())) for b in blocks
    )


def _split_notes(after: list[str]) -> tuple[list[str], list[str]]:
    """Split what follows ``---`` into free notes and diffstat lines."""
    notes: list[str] = []
    stat: list[str] = []
    for line in after:
        if _DIFFSTAT.match(line) or _DIFFSTAT_SUMMARY.match(line) or (stat and line.startswith(" create mode")):
            stat.append(line)
        elif line.strip() == "---":
            notes, stat = notes + stat, []
        elif not stat:
            notes.append(line)
    return notes, stat


def patch_of(raw: RawMessage, mail: Mail) -> Patch:
    """A patch or cover letter: commit message, trailers, changelog, diffstat and parsed diff."""
    body = body_text(raw.message)
    start = diff_start(body)
    head = body if start is None else body[:start]
    lines = head.split("\n")
    cut = next((i for i, ln in enumerate(lines) if ln.rstrip() == "---"), len(lines))
    message_lines = lines[:cut]
    notes, stat = _split_notes(lines[cut + 1 :])
    files: tuple[PatchedFile, ...] = ()
    if start is not None:
        diff_text = body[start:]
        sig = re.search(r"^-- $", diff_text, re.MULTILINE)
        if sig is not None:
            diff_text = diff_text[: sig.start()]
        diff_line = raw.body_line + body[:start].count("\n")
        files = parse_diff(diff_text, Where(raw.where.path, diff_line, mail.msgid))
    base = _BASE.search(body)
    return Patch(
        mail=mail,
        message="\n".join(message_lines).strip("\n"),
        trailers=trailers_of(list(enumerate(message_lines, raw.body_line)), mail.where),
        changelog=_changelog(notes),
        diffstat=tuple(s.rstrip() for s in stat),
        files=files,
        base_commit=base.group(1) if base else None,
    )
