"""Lore threads of our own in the shapes a server sends: series answering discussions, threads with strangers in them.

Each shape is (the Message-ID asked for, the messages the server's t.mbox.gz holds, the Message-IDs b4 am and b4
mbox 0.16 keep of them). The random threads give b4's own thread walk something nobody wrote by hand.
"""

from __future__ import annotations

import random
from email.message import EmailMessage

from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, demo_series, diff, message, patch_body

REVIEW = "Reviewed-by: Rita Reviewer <rita@example.org>\n"


def _ids(msg: EmailMessage, header: str) -> list[str]:
    return [x.strip("<>") for x in str(msg[header] or "").split()]


def tagged(version: int, tag: str, parents: tuple[str, ...] = ()) -> list[EmailMessage]:
    """demo_series(version) with ``.tag`` in every Message-ID; with ``parents``, its cover letter answers the last of
    them (a series posted in reply to a discussion or to the revision before)."""
    out = []
    for msg in demo_series(version):
        mid = msg["Message-ID"].strip("<>").replace("@", f".{tag}@")
        up = [*parents, *(x.replace("@", f".{tag}@") for x in _ids(msg, "References"))]
        for header in ("Message-ID", "In-Reply-To", "References"):
            del msg[header]
        msg["Message-ID"] = f"<{mid}>"
        if up:
            msg["In-Reply-To"] = f"<{up[-1]}>"
            msg["References"] = " ".join(f"<{x}>" for x in up)
        out.append(msg)
    return out


def review(subject: str, mid: str, refs: tuple[str, ...]) -> EmailMessage:
    return message(f"Re: {subject}", mid, REVIEW, sender="Rita Reviewer <rita@example.org>", parent=refs[-1],
                   refs=refs)


def shapes() -> dict[str, tuple[str, list[EmailMessage], set[str]]]:
    """name -> (the id asked for, what the server sends, what b4 keeps)."""
    out: dict[str, tuple[str, list[EmailMessage], set[str]]] = {}
    # Another series entirely in the server's thread (public-inbox joined them): b4 reads only the one asked for.
    mine, other = tagged(2, "e"), tagged(1, "stranger")
    out["stranger-series"] = ("cover-v2.e@example.org", mine + other, {m["Message-ID"].strip("<>") for m in mine})
    # v2 answers v1's cover letter: one thread, both revisions, whichever is asked for.
    v1 = tagged(1, "a")
    v2 = tagged(2, "a", ("cover-v1.a@example.org",))
    notes = [review("[PATCH v2 2/3] demo: print fn in decimal", "r2.a@example.org",
                    ("cover-v1.a@example.org", "cover-v2.a@example.org", "p2-v2.a@example.org"))]
    every = {m["Message-ID"].strip("<>") for m in v1 + v2 + notes}
    out["v2-answers-v1-cover"] = ("p2-v2.a@example.org", v1 + v2 + notes, every)
    # A lone [PATCH] sent in reply to a bug report: b4 takes the patch and its replies, not the discussion.
    bug = message("demo helper loops for ever", "bug.c@example.org", "It never stops.\n", sender="Bo <bo@example.org>")
    metoo = message("Re: demo helper loops for ever", "metoo.c@example.org", "Same here.\n",
                    sender="Cy <cy@example.org>", parent="bug.c@example.org", refs=("bug.c@example.org",))
    fix = message("[PATCH] demo: add helper", "fix.c@example.org",
                  patch_body("Add it.", diff(HELPER_PATH, HELPER_V0, HELPER_V1)), parent="bug.c@example.org",
                  refs=("bug.c@example.org",))
    ok = review("[PATCH] demo: add helper", "ok.c@example.org", ("bug.c@example.org", "fix.c@example.org"))
    out["lone-patch-in-discussion"] = ("fix.c@example.org", [bug, metoo, fix, ok], {"fix.c@example.org",
                                                                                   "ok.c@example.org"})
    # The same thread asked for by the bug report: all of it.
    out["discussion-asked"] = ("bug.c@example.org", [bug, metoo, fix, ok], {"bug.c@example.org", "metoo.c@example.org",
                                                                            "fix.c@example.org", "ok.c@example.org"})
    # A v1 series posted in reply to a design question, asked for by its patch 2/3: from its cover letter down.
    design = message("how should demo retry?", "design.d@example.org", "Thoughts?\n", sender="Bo <bo@example.org>")
    series = tagged(1, "d", ("design.d@example.org",))
    out["series-in-discussion"] = ("p2-v1.d@example.org", [design, *series],
                                   {m["Message-ID"].strip("<>") for m in series})
    # Patch 2/3 never reached the archive, a review of it did: asked for by the missing patch's id.
    gap = tagged(2, "b")
    late = review("[PATCH v2 2/3] demo: print fn in decimal", "r2.b@example.org",
                  ("cover-v2.b@example.org", "p2-v2.b@example.org"))
    sent = [gap[0], gap[1], gap[3], late]
    out["missing-patch"] = ("p2-v2.b@example.org", sent, {m["Message-ID"].strip("<>") for m in sent})
    return out


def random_thread(seed: int) -> tuple[str, list[EmailMessage]]:
    """Up to nine messages: cover letters, patches, lone patches, reviews and plain mail of v1 or v2, answering
    earlier (or later) ones or messages the archive lacks, now and then themselves; and the id asked for."""
    rng = random.Random(seed)
    ids = [f"m{i}.{seed}@t.example.org" for i in range(rng.randint(1, 9))]
    ghosts = ["ghost0@t.example.org", "ghost1@t.example.org"]
    body = patch_body("A step.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    kinds = {"cover": ("[{t} 0/2] demo", "Cover.\n\n 1 file changed, 1 insertion(+)\n"),
             "patch": ("[{t} {k}/2] demo: step {k}", body), "lone": ("[{t}] demo: one", body),
             "review": ("Re: [PATCH 1/2] demo: step 1", REVIEW), "plain": ("a question about demo", "Why?\n")}
    msgs = []
    for i, mid in enumerate(ids):
        subject, text = kinds[rng.choice(sorted(kinds))]
        version = rng.choice([1, 1, 2])
        pool = ids[:i] + ghosts + (ids[i + 1:] if rng.random() < 0.2 else [])
        parent = rng.choice(pool) if rng.random() < 0.8 else None
        refs = tuple(rng.sample(pool, rng.randint(0, min(3, len(pool))))) if parent else ()
        refs = (*(r for r in refs if r != parent), parent) if parent else ()
        if parent and rng.random() < 0.05:
            refs = (*refs, mid)  # some tools list the message itself
        tag = "PATCH" if version == 1 else f"PATCH v{version}"
        msgs.append(message(subject.format(t=tag, k=rng.randint(1, 2)), mid, text, parent=parent, refs=refs))
    return rng.choice([*ids, ghosts[0]]), msgs
