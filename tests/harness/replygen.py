"""Review threads for the trailer tests: the demo series and replies in the shapes reviewers send, at random."""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr
from pathlib import Path

from tests.mailgen import demo_series, message, write_mbox

TITLES = {0: "demo: helper rework", 1: "demo: add helper", 2: "demo: print fn in decimal", 3: "demo: try five times"}

# Reviewers: plain, RFC 2047-encoded (non-ASCII), a "Last, First" name, one who signs with a +tag address.
SENDERS = [("Rita Reviewer", "rita@example.org"), ("J\u00f6rg M\u00fcller", "joerg@example.org"),
           ("Hansen, Dave", "dave@example.org"), ("Kai Kernel", "kai@lists.example.org"),
           ("Zo\u00eb \u00c5str\u00f6m", "zoe@example.org")]

# Body shapes, each a format string of the sender's name {n}, address {a}, local part {l}, domain {d} and a
# running number {i}: what b4 takes, what it leaves and why, side by side.
SHAPES = [
    "Reviewed-by: {n} <{a}>",
    "reviewed-by:  {n} <{a}>",
    "Tested-By: {n} <{a}>",
    "   Acked-by: {n} <{a}>",
    "Reviewed-by: {n}\n<{a}>",
    "Reviewed-by: {n} <{a}> with the nit below fixed",
    "Acked-by: {n} <{a}> # for the demo part",
    "Reviewed-by: {n} <{l}+kernel@{d}>",
    "Reviewed-by: {l} <{l}@{d}>",
    "Nacked-by: {n} <{a}>",
    "Suggested-by: {n} <{a}>",
    "Reported-and-tested-by: {n} <{a}>",
    "Tested-by: Other Body <other@example.org>",
    "Reviewed-by: {n}",
    "Cc: {n} <{a}>",
    "To: {n} <{a}>",
    "Link: https://lore.kernel.org/r/msg{i}@example.org",
    "Link: https://patch.msgid.link/msg{i}@example.org",
    "Closes: https://bugs.example.org/{i}",
    "Reviewed-by: {n} <{a}> https://example.org/me",
    'Fixes: 0123456789ab ("demo: old helper")',
    'Fixes: 0123456789ab ("demo: an old helper with a\nlong subject")',
    "Fixes: the old helper <{a}>",
    "Gepr\u00fcft-von: {n} <{a}>",
    "Phone: +1 555 0100 <{a}>",
    "> Reviewed-by: Quoted Person <quoted@example.org>",
    ">> Acked-by: Deep Quote <deep@example.org>",
    "I'd say Reviewed-by: {n} <{a}>",
    "Looks good to me.",
    "NAK, the retry count is wrong.",
    "This is not a NAK, just a question.",
    "-- \n{n}\nReviewed-by: {n} <{a}>",
    "Reviewed-by: =?utf-8?q?Z=C3=B6e_Q?= <{a}>",
    "Reviewed-by: {n} <mailto:{a}>",
    "Tested-by: {n} <{a}>\n[on real hardware]",
    "Acked-by: {n} <{a}> # x86\n[for the x86 part]",
    "Cc: {n} <{a}>\n[cc note]",
    "Acked-by: {n} <{a}> [for the x86 part]",
]


@dataclass(frozen=True)
class Thread:
    """A generated thread: its messages in input order and the Message-ID of the v2 cover letter."""

    messages: list[EmailMessage]
    cover: str

    def write(self, path: Path) -> Path:
        return write_mbox(path, self.messages)


def _body(rng: random.Random, name: str, addr: str, serial: int) -> str:
    local, domain = addr.split("@")
    shapes = rng.sample(SHAPES, rng.randint(1, 4))
    shapes.sort(key=lambda s: s.startswith("-- "))  # a signature comes last
    lines = [s.format(n=name, a=addr, l=local, d=domain, i=serial) for s in shapes]
    return "On Mon, Ann Author wrote:\n> Change.\n\n" + "\n".join(lines) + "\n"


def review_thread(seed: int, replies: int = 24) -> Thread:
    """The v2 demo series and ``replies`` replies from random reviewers in random shapes and transfer encodings,
    each answering the cover letter, a patch or an earlier reply."""
    rng = random.Random(seed)
    msgs = demo_series(version=2)
    cover = msgs[0]["Message-ID"].strip("<>")
    # (Message-ID, References, patch number) of everything a reply may answer
    targets = [(m["Message-ID"].strip("<>"), (cover,) if n else (), n) for n, m in enumerate(msgs)]
    for i in range(replies):
        parent, refs, number = rng.choice(targets)
        name, addr = rng.choice(SENDERS)
        msgid = f"reply{seed}-{i}@example.org"
        msg = message(f"Re: [PATCH v2 {number}/3] {TITLES[number]}", msgid, _body(rng, name, addr, i),
                      sender=formataddr((name, addr)), parent=parent, refs=(*refs, parent),
                      cte=rng.choice([None, "quoted-printable", "base64"]),
                      date=f"Mon, 05 Jan 2026 11:{i:02d}:00 +0000")
        msgs.append(msg)
        targets.append((msgid, (*refs, parent), number))
    return Thread(msgs, cover)


def html_reply(parent: str, refs: tuple[str, ...]) -> EmailMessage:
    """A reply in HTML only: no text b4 or seamharness reads trailers from."""
    msg = EmailMessage()
    msg["From"] = "Hilda Html <hilda@example.org>"
    msg["Subject"] = f"Re: [PATCH v2 1/3] {TITLES[1]}"
    msg["Date"] = "Mon, 05 Jan 2026 12:00:00 +0000"
    msg["Message-ID"] = "<html-reply@example.org>"
    msg["In-Reply-To"] = f"<{parent}>"
    msg["References"] = " ".join(f"<{r}>" for r in refs)
    msg.set_content("<p>Reviewed-by: Hilda Html &lt;hilda@example.org&gt;</p>", subtype="html")
    return msg
