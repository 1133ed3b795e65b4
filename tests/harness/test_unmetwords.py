"""A reviewer's objection in a shape the readers missed blocks the gate; its close harmless neighbour does not.

Kinds (round 70, h701): a merit granted under a condition the code does not meet, a flaw under a condition of the
code's own run, a doubt ("I doubt this survives ...", "I'm far from sure ..."), the changelog or the posting's parts
faulted, a checker unhappy, a CPU fault named, a tag taken back as "don't apply my Reviewed-by", a preference that it
stay out, a bare "Not like this, please.", a learner's "is always fail", a lockdep report under its rule line, a
flaw with the sender's earlier complaint named after it. Every sentence was written for this test; each in BLOCKED
passed the gate READY, exit 0, before this round's change; each in SAFE must stay READY.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.replywords import sentences
from harness.unmetwords import condition_unmet, flaw_if
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

BLOCKED = [
    # A merit held under a condition, said unmet.
    "This only works if the caller holds the lock, which tdx_foo() does not.",
    "This is only correct if all CPUs run the same microcode revision, which nothing here checks.",
    "That assumes the sigstruct is page aligned, but the firmware loader gives no such guarantee.",
    "It is fine as long as nobody calls this from atomic context, and tdx_update_store() does exactly that.",
    "This relies on interrupts being disabled, which is not the case on the non-primary CPUs in this path.",
    "The check is fine for the boot CPU, but a CPU brought online later never runs it.",
    "This depends on the caller having taken cpus_read_lock(), which seamldr_store() doesn't.",
    "The retry is fine as long as the module never returns BUSY forever, but nothing bounds it.",
    "The changelog says this fixes a leak but the diff only renames a variable.",
    # A flaw under a condition of the code's own run.
    "If the allocation fails, this leaks the lock.", "When the copy faults, you return with the mutex held.",
    "Unless the caller zeroes the buffer, you hand uninitialized stack to the firmware.",
    # Doubts.
    "I doubt this survives a suspend/resume cycle.",
    "Hmm, I'm far from sure the size check catches a zero-length blob.",
    "I have my doubts that holding the mutex across the SEAMCALL is acceptable, it can take milliseconds.",
    # The posting's parts, a checker, a fault.
    "Co-developed-by without a matching Signed-off-by.", "This patch has no commit message at all.",
    "The subject line is longer than 75 characters and says nothing about what changes.",
    "kmemleak is not happy with this series either.",
    "Works only when the module is 1.5 or later; older modules will take a #GP here.",
    # Other words of a flaw.
    "This way is not good, better we use the existing helper.", "It is not good to busy-wait for up to a second here.",
    "No, it is not: the IRQ path takes it too, and it isn't irqsafe.",
    "The sigstruct can be up to 4 pages, this rejects valid blobs.",
    "Thanks.\n\nThis one, however, still calls seamldr_call() with preemption enabled, which is what I complained "
    "about in v1.",
    # A tag taken back, a preference it stays out, a bare no.
    "Please don't apply my Reviewed-by to this one after all, I found a problem in the rollback.",
    "I'd really prefer this not go in until the module ABI is documented.", "Not like this, please.",
    # A second blind list's (each READY after the kinds above were read): a doubt placed, a condition that nothing does
    # a thing then one that does, a claim it cannot work, a resource never given back, a state left undefined.
    "I'm not at all convinced the error unwinding here is complete.",
    "I seriously doubt this is correct with more than 64 CPUs.",
    "This is correct only under the assumption that the firmware never returns TDX_BUSY, and it does.",
    "Provided nobody else touches tdx_sysinfo concurrently this is fine, but tdx_get_sysinfo() does.",
    "If the copy_from_user() fails here, the sigstruct page is never freed.",
    "When the SEAMCALL times out, the CPU is left in an undefined state and nothing recovers it.",
    "This cannot work when the module is not loaded yet, tdx_sysinfo is all zeros then.",
    "This will never work.", "This cannot possibly work on 32-bit.",
    # Failures: a learner's words, a lockdep report whose header line a rule line and a taint mark surround.
    "I tested on my machine, the update is always fail with -EIO after apply this patch.",
    "The second update is failing with -EBUSY after this series.",
    "With this applied I get:\n\n======================================================\nWARNING: possible circular "
    "locking dependency detected\n6.8.0-rc1+ #12 Not tainted\n------------------------------------------------------\n"
    "bash/812 is trying to acquire lock:",
]
SAFE = [
    "This only works if the caller holds the lock, which all callers do.",
    "This relies on interrupts being disabled, which stop_machine() guarantees. Good.",
    "This assumes the buffer is aligned, which is not a problem since kmalloc() aligns it.",
    "It is fine as long as nobody calls this from atomic context, and nobody does.",
    "That works as long as the blob fits in one page, which the size check above enforces.",
    "The check is fine for now, but not something we want long-term.",
    "The commit message says the update is atomic, and the code does exactly that now.",
    "If the loop spins forever we have bigger problems.", "Once the retries run out, it returns -EIO.",
    "If this WARN fires, it's a firmware bug.", "Once you discard the patch, nothing calls it.",
    "If the SEAMCALL fails, the caller frees the pages, so no leak.", "When TDX is disabled, nothing leaks.",
    "I doubt anyone will notice the extra 100 ms.", "I have my doubts that anyone will ever notice.",
    "I'm far from an expert here, but it looks fine to me.",
    "kmemleak is happy with this version.", "This avoids the #UD we saw on older modules.",
    "Without this patch the old module takes a #GP on update.", "Not good, not bad.",
    "I'm not good at naming, so whatever you prefer.", "No good reason to resend for this.",
    "Nothing good comes of arguing about names.", "I am not in a good position to review the KVM side.",
    "Please don't forget to carry my Acked-by in v5.", "I'd prefer this not go in through my tree; x86 should take it.",
    "> Shall I drop it?\n\nNo, please.", "The second update no longer fails with -EBUSY after this series.",
    "Without this series I get:\n\n======================================================\nWARNING: possible "
    "circular locking dependency detected\n6.8.0-rc1+ #12 Not tainted",
    "It now checks the size, which is what I complained about in v1.",
    "I was not at all convinced the error unwinding was complete in v2, but this version gets it right.",
    "I seriously doubt anyone runs this on 32-bit, so no need to bother.",
    "Provided nobody else touches tdx_sysinfo concurrently this is fine, and nobody does.",
    "This is correct only under the assumption that the firmware never returns TDX_BUSY, which the spec guarantees.",
    "The old code could never work on 32-bit; this one does.", "I can't work on this until next week, sorry.",
    "The page is never freed by design: it lives as long as the module.",
    "Nothing recovers from a machine check anyway, so no need to handle it.",
    "Without this patch the CPU is left in an undefined state after a failed update.",
]


def _gate(tmp: Path, words: str) -> int:
    mbox = _replies(tmp, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes())
                         ).exit_status


@pytest.mark.parametrize("words", BLOCKED)
def test_an_objection_blocks(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, words) == 1


@pytest.mark.parametrize("words", SAFE)
def test_its_harmless_neighbour_passes(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, words) == 0


def test_the_readers() -> None:
    assert condition_unmet("This only works if the caller holds the lock, which tdx_foo() does not.")
    assert not condition_unmet("This only works if the caller holds the lock, which all callers do.")
    assert not condition_unmet("Does this only work if the lock is held, which tdx_foo() does not?")
    assert flaw_if("If the allocation fails, this leaks the lock.") == "this leaks the lock."
    assert flaw_if("If I read this right, this leaks the lock.") is None
    assert flaw_if("If the loop spins forever we have bigger problems.") is None


def test_a_rule_line_ends_a_paragraph() -> None:
    assert sentences("Got:\n=====\nWARNING: x\n-----\nmore") == ["Got:", "WARNING: x", "more"]
    assert sentences("a - b\nc -- d") == ["a - b c -- d"]
