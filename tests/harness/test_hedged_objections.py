"""An objection put politely, hedged, after an interjection, or as a process request is read; its safe twin is not.

Every sentence is written for this test (round 68, h684), as a reviewer would. Each in a kind's list passed the gate
READY, exit 0, before the readers it names were extended; each in SAFE stays READY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import drop_sentence, refused_or_broken, unnamed_drop_sentence
from harness.gate import GateRequest, evaluate_gate
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# harness.refusals: taking the patch declined as a preference, or as a view of what the sender can do.
REFUSED = [
    "I'd prefer not to merge this in its current form.", "I'd rather not take this as is.",
    "I would rather not apply this one.", "We'd prefer not to queue this for now.",
    "Sorry, but I don't think I can take this one.", "I don't think we can merge this as it stands.",
    "I do not think I should apply this patch.", "I don't really see us taking this.",
    "I can't see anyone merging this patch.", "Thanks, but I'll pass.", "I'm going to pass, sorry.",
    # harness.regressions, after a certainty put first.
    "Pretty sure this breaks the !CONFIG_SMP build.", "I'm pretty sure this breaks boot on arm64.",
]
# harness.defectwords and tersepoints: what the author left out, a trailer they need, a conversion a type calls for.
LEFT_OUT = [
    "You didn't add a Fixes tag.", "You didn't Cc the DRM maintainers.", "You haven't Cc'd the DRM maintainers.",
    "You never free the buffer.", "You don't check the return value of kmalloc().", "You need a Fixes: tag here.",
    "val64 is u64, so %llu.", "size_t, so %zu.", "freq_khz is u32; %u.", "Argh, this undoes the fix from last cycle.",
    "Cc the stable list please.", "Cc: stable, please.", "%zu please, len is size_t.", "%llu, val64 is u64.",
    "You missed Cc'ing netdev.", "Please also Cc the KVM list.", "This is really two changes: the move and the fix.",
    "I have a feeling this underflows when count is 0.", "I'm fairly certain this leaks the buffer.",
]
# harness.verdictwords, below the quoted code: reluctance, or a doubt that the change is wanted at all.
SOFT = [
    "Not really a fan of this approach, to be honest.", "I'm not a big fan of the new flag.",
    "I'm not convinced we want this.", "I'm not convinced that we need the extra lock.",
    "I'm not sure this is something we want upstream.", "Not convinced this is the right fix.",
]
# harness.persistwords: a flaw after a hedge of the sender misreading, or after an interjection of surprise.
HEDGED = [
    "Unless I'm missing something, this leaks the page on the error path.",
    "Unless I misread it, the reference is never dropped if the allocation fails.",
    "If I'm reading this correctly, the error path forgets to free the skb.",
    "If I read this right, the count is never reset.",
    "Correct me if I'm wrong, but the lock isn't released on the early return.",
    "Err, this drops the memory barrier.", "Erm, you've dropped the NULL check.",
    "Uh, this is now called with the lock held.", "Huh, this now runs with interrupts disabled.",
    "Uhm, this removes the only caller of the cleanup.", "Whoa, this loses the error code.",
    "Unless I misread, this skips the unlock.", "If I understand correctly, this makes the loop never exit on timeout.",
    "If I'm not mistaken, the mapping is never torn down.", "Eh, the comment and the code disagree now.",
]
# harness.defectwords: a thing said to be the wrong way round, with "you" as its subject.
INVERTED = [
    "I think you have the condition inverted.", "I suspect you have the comparison inverted.",
    "You've got the arguments backwards.", "You have the two checks the wrong way round.",
]
# harness.requestverbs / pointwords: who to Cc asked, and a change asked to be split or ordered.
PROCESS = [
    "Please Cc the x86 maintainers, they'll want to see this.", "You should Cc linux-arm-kernel too.",
    "Please reorder: binding first, then the driver.", "I'm really not comfortable taking this without a test.",
    "Please run get_maintainer.pl and Cc everyone it lists.",
    "Please Cc the maintainers get_maintainer.pl reports.",
    "You forgot to Cc netdev.", "You've forgotten to Cc linux-mm.",
    "This wants to be two patches: the rename and the fix.",
    "The header change wants to be a separate patch that comes first.",
    "The cleanup wants to be split out.",
]
# harness.requestverbs' openers: the least asked, after a question or alone.
LEAST = ["So what happens if the queue is full? At least return -EBUSY.", "At the very least add a comment.",
         "At minimum, warn once."]
SAFE = [
    "failed: %#llx", "SEAMCALL %#llx failed: %#llx",
    "%u, as before, is fine.", "It is two changes, both fine.", "Also Cc'ing Tom.", "I forgot Cc'ing Tom, sorry.",
    "Please also Cc me.",
    "Err, sorry, wrong patch. This one is fine.", "I'd prefer this goes through the x86 tree.",
    "Unless I'm missing something, there's nothing left to fix here.", "%u is fine.", "It prints %u.",
    "If I'm not mistaken, this is what v2 asked for.", "Unless I misread, this is fine.",
    "Please note: v3 is coming.", "I'm not comfortable reviewing the KVM side.",
    "Uh, sorry, wrong thread.", "I'd rather not add more to this series; looks fine as is.",
    "I don't see this.", "I don't see this patch.", "I'll pass this on to Thomas.", "I'll pass it along.",
    "I don't see us taking the lock here.", "Pretty sure this fixes the build.", "Pretty sure this is fine.",
    "I'm pretty sure the caller holds the lock.", "You didn't change the ABI, good.", "You didn't need to resend.",
    "You didn't drop the check, right?", "If you don't add the tag, I will.", "You need root to run this.",
    "The value is printed with %llu, so it is fine.", "It used %d, so %u is right now.", "Cc me please.",
    "Cc'ing the x86 folks, please take a look.", "Cc netdev.", "Cc'ing Thomas, please review.",
    "At least it builds now.", "At least the loop is bounded now.",
    "I'm not keen on the old code either, so this is a welcome change.",
    # Refusal twins: the sender's own doing declined, a taking granted.
    "I'd rather not bikeshed this further.", "I'd prefer not to hold this up any longer.",
    "I don't think I can take this any further myself.",
    "I think I can take this for 6.20.", "I'd rather take it now than wait for v5.",
    # Soft twins: of another thing, of the past, or granted.
    "I'm not a fan of the old code either, so this is a welcome change.",
    "I wasn't convinced at first, but the numbers persuaded me.",
    "I'm convinced we want this.", "I'm not sure this is something we want in stable, but it's fine for mainline.",
    # Hedge and interjection twins: approval, a retraction, a question, the sender's own slip.
    "Unless I'm missing something, this looks correct to me.",
    "If I'm reading this correctly, the caller already holds the lock, so this is fine.",
    "Unless I'm missing something, this can't happen.",
    "Err, ignore me, I misread the diff.", "Uh, never mind, the lock is already dropped by the caller.",
    "Erm, sorry for the noise, this is fine.", "Huh, this now works on my box too.",
    "Err, I meant v3, not v2.", "Uh, this drops the workaround we no longer need, nice.",
    # Inverted twins: the sender's own, or not inverted.
    "I had the condition inverted in my head, sorry.", "You have the condition right now.",
    # Process twins: the sender's own Cc, thanks for one, a part done.
    "Cc'd netdev for visibility.", "Cc'ing the stable list for awareness.", "Please Cc me on v4.",
    "Please keep me on Cc.", "Thanks for Cc'ing linux-mm.", "get_maintainer.pl output was all Cc'd, thanks.",
    "The split into two patches looks good to me.", "This wants to be fixed at some point, but not in this series.",
]


def _read(text: str) -> bool:
    """Whether a reader the gate asks of a reply's words finds an objection in ``text``."""
    return any(f(text) is not None for f in (point_sentence, refused_or_broken, drop_sentence, unnamed_drop_sentence))


@pytest.mark.parametrize("kind", [REFUSED, HEDGED, INVERTED, PROCESS, LEAST, LEFT_OUT])
def test_each_kind_is_read(kind: list[str]) -> None:
    assert [s for s in kind if not _read(s)] == []


def test_the_safe_twins_are_not_read() -> None:
    assert [s for s in SAFE if _read(s)] == []


@pytest.mark.parametrize(("words", "blocks"), [
    *((s, True) for s in SOFT), ("Can't say I like this.", True),
    ("With respect, I don't think this is a good idea.", True), ("Ehh, I'm not sure about this one.", True),
    ("Hmm, I don't think we want this in its current shape.", True),
    ("I don't think this is a good idea, but it's your call.", False),
    ("Sorry, I don't think this is the way to go.", True),
    ("I'm not a fan of the old code either, so this is a welcome change.", False),
    ("I'm convinced we want this.", False),
    ("Unless I misread it, the reference is never dropped if the allocation fails.", True),
    ("Err, this drops the memory barrier.", True),
    ("You forgot to Cc netdev.", True),
    ("I'd rather not take this as is.", True),
    ("Err, ignore me, I misread the diff.", False),
])
def test_the_gate(tmp_path: Path, words: str, blocks: bool) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> +\tu64 busy = TDX_RND_NO_ENTROPY;\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert (g.exit_status == 1) == blocks, g.headline()
