"""harness.concernwords: a flaw stated in plain words is a review point; one denied, fixed, past or conceded is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.concernwords import concern_stated
from harness.pointwords import point_sentence
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each was read as nothing before harness.concernwords, the gate READY, exit 0 (round 65's hunt: 46 of 105 such
# sentences written as a reviewer would). By kind: a flaw word, a virtue denied, a comparison, a correction, a place,
# what the sender would do, a doubt, another source, something already there.
STATED = [
    "This cast is not needed.", "The changelog doesn't explain why.", "Hmm, this doesn't look right.",
    "This hunk belongs in the previous patch.", "Infinite loop if the module keeps returning the busy code.",
    "There's no upper bound on the retries.", "The retry count is off by one.",
    "This silently changes the log format.", "This is not a pure code move.", "This is a regression.",
    "There is already a helper for this: seamcall_prerr().", "Open-coded.",
    "This is not how we do things in arch/x86.", "That's not what the spec says.",
    "The TDX module spec says otherwise.", "This contradicts the comment above.",
    "The comment no longer matches the code.", "You've lost the error code here.", "The error code gets lost.",
    "This swallows the error.", "The return value is ignored.", "Nobody checks the return value.",
    "This is the wrong place for this check.", "This belongs in tdx.h.", "This doesn't need to be a macro.",
    "The old name was better.", "Naming: sc_retry is too terse.", "Bad name.",
    "This name doesn't say what it does.", "IMHO pr_warn is enough here.", "pr_warn, not pr_err.",
    "This will spam dmesg.", "This spams the log on every retry.", "%llx -> %#llx", "Decimal is useless here.",
    "Nobody can read a decimal leaf number.", "I'd print the leaf in hex.",
    "Probably better to drop the retry entirely.", "I wonder if we should retry at all.",
    "I wonder whether this retry is needed.", "Not safe in NMI context.", "You're missing a cpus_read_lock().",
    "The lock is dropped too early.", "The unlock is in the wrong place.", "Double unlock on the error path.",
    "Unbalanced unlock.", "The error path doesn't unlock.", "This would be simpler with scoped_guard().",
    "This could be simplified.", "Overly complicated.", "Over-engineered.",
    "This adds complexity for no benefit.", "I see no benefit.", "I don't see why this is needed.", "Not needed.",
    "This reads worse than before.", "The new condition is subtly different from the old one.",
    "Checkpatch complains.", "Retries without a limit.", "u32 => u64",
    # A new user's (h656): objections, preferences, suggestions, the wrong place, the patch's shape.
    "I object to the loop rewrite.", "Strongly disagree with the loop change.", "I don't agree with the 16.",
    "I'm not convinced 16 is right.", "This is a step backwards.", "I'm not a big fan of the do/while.",
    "I don't like the do/while.", "I liked the old loop better.", "Suggest renaming 'left' to 'tries_left'.",
    "'left' ought to be unsigned int.", "left can be unsigned.", "I think 'tries_left' is a better name.",
    "I'd expect a pr_warn when it gives up.", "Ideally this would warn once.", "Worth a comment.",
    "It would be worth a comment here.", "I'd go with 10 here.", "-EBUSY fits better than -EAGAIN.",
    "The name 'left' is too vague.", "None of the callers handle -EAGAIN.", "The callers don't handle -EAGAIN.",
    "This papers over the real problem.", "The caller is the right place for this.",
    "tdx_sc_checked() is not the place for this.", "The loop rewrite is unrelated to the stated purpose.",
    "This is two changes in one patch.", "This mixes a functional change with a cleanup.",
    "Decimal leaves are harder to grep for.",
    "Agree with the intent but the for loop should stay.",
    # Held out while the reader was written, then read: suspicion, a part shadowed or truncated, the ABI changed.
    "The loop variable shadows the outer one.", "The leaf is truncated to 32 bits here.", "This mixes tabs and spaces.",
    "The Fixes: tag points to the wrong commit.", "This changes the ABI of the debugfs file.",
    "A plain pr_err() is enough, no need for the ratelimit.", "The variable name 'ret2' is meaningless.",
    "The new macro is hard to follow.", "The locking here is dubious.", "There is no reason to retry on every error.",
    # Told by a verb of what the code does wrong (harness.deedwords; round 66, h667): a new user's, then the writer's
    # own list. Each read as nothing before, the gate READY.
    "This hides the failure.", "This masks the real error.", "It prints the message twice.",
    "This drops the top 32 bits of the status.", "It throws away the upper bits.", "The counter wraps.",
    "The loop never gives up.", "This never terminates if the module keeps saying busy.", "The retry is not bounded.",
    "It returns success even when the SEAMCALL failed.", "The caller cannot tell BUSY from a real failure.",
    "The comment lies.", "This reintroduces the bug fixed by commit 1234567890ab.",
    "This clobbers the caller's return value.", "The second call overwrites ret.",
    "This spins with interrupts disabled.", "It sleeps in atomic context.", "This calls msleep() under a spinlock.",
    "The warning fires on every retry.", "The shift drops the low bit.", "This reports success on failure.",
    "The caller can't distinguish a timeout from a real error.",
    "This never exits if the firmware keeps returning busy.", "The message hides which leaf failed.",
    "It masks the original error with -EIO.", "The u8 wraps around at 255.", "It double-counts the retries.",
    "The loop never gives up on a hung module.", "This takes the lock twice.",
    "It reads the status before the call has written it.", "The Subject says retry but the code gives up.",
    "This keeps retrying even after a fatal error.", "It retries on every error, not just busy.",
    "The caller never sees the error.", "The status gets overwritten by the second SEAMCALL.",
    "It frees the buffer twice.", "The function returns with the lock held.", "This uses the value after it's freed.",
    "It writes past the end of the array.", "This reintroduces the problem fixed in commit abcdef123456.",
    "This undoes the fix from commit 0123456789ab.",
    "The timeout is in jiffies but the code treats it as milliseconds.", "It stalls the CPU for seconds.",
    "This blocks boot if the module never answers.", "The message goes out at KERN_ERR for an expected condition.",
    "The retry loop has no exit if the module stays busy.",
    "It hides errors from the caller.", "This would hide a failed SEAMCALL.", "We drop the upper 32 bits here.",
    "ret gets clobbered by the second call.", "The second SEAMCALL overwrites the status.",
    "The status is overwritten before anyone looks at it.", "The high bits get chopped off.",
    "It only keeps the low 32 bits.", "This casts the 64-bit status to int.", "It prints the error on every iteration.",
    "This warns on every boot.", "The warning is printed for each CPU.", "We print it twice.",
    "The same message is logged twice.", "It logs an error for a perfectly normal busy condition.",
    "It returns success when the SEAMCALL fails.", "The function reports success after a failed call.",
    "A failure is reported as success.", "It returns 0 on error.",
    "The caller has no way to tell a timeout from a real error.", "The two cases are indistinguishable to the caller.",
    "The loop never ends.", "The retry loop doesn't terminate when the module is wedged.",
    "The number of retries is unlimited.", "The comment describes the old behaviour.",
    "The changelog claims this is a pure move, but it changes behaviour.",
    "The subject line says 'retry' but the patch removes the retry.",
    "This reintroduces the race fixed in 0123456789ab.", "This regresses the fix in commit abcdef012345.",
    "It calls schedule() under spin_lock_irqsave().", "The doc says X, but the code does something else.",
]
# A flaw denied, fixed, of the past or another time, the sender's own, conceded, conditional, asked, or an assent;
# praise and plain reports of a test that went well.
NOT_STATED = [
    "Looks good to me.", "This looks much cleaner than v2.", "Much better, thanks for reworking it.",
    "I tested this on SPR and EMR, no issues.", "Tested on SPR: TDX init works, no splats.",
    "This fixes the leak I reported on v2.", "The old code was racy, this version is not.",
    "Good catch on the off-by-one.", "This matches what the TDX module spec says.", "The comment now matches the code.",
    "The error is no longer lost.", "No more double unlock, thanks.", "I don't see any issue with this.",
    "I don't see anything wrong here.", "Nothing wrong with this patch.", "This seems correct to me.",
    "The changelog explains it well.", "This is safe because preemption is disabled.",
    "The caller checks the return value.", "With this applied, the hang I reported is gone.",
    "Ten retries is enough.", "That's the right fix.", "This is the right place for the check.",
    "This is how we do it elsewhere in arch/x86 too.", "Redundant, but harmless.", "Wrong patch, sorry.",
    "No leaks here, I checked.", "Races are handled by the lock.", "Nothing looks wrong to me.",
    "Please correct me if I'm wrong.", "No, it works now.", "Not right now, I'm busy.",
    "If this doesn't work, tell me.", "I don't think you should bound the loop.", "I expected worse.",
    "This patch regressed nothing in my tests.", "Not this one, the next one has the bug.", "Is this racy?",
    "Right, not needed then.", "I'd say it's fine.", "I'd have NAKed this if the loop could spin forever.",
    "I don't see why this can't go in.", "No thanks needed.", "I reverted it and it still crashes.",
    "The loader fails to boot with the wrong leaf.", "I disagree with Dave.", "I don't agree with his objection.",
    "I disagree with the NAK above, the loop is bounded.", "Not convinced this is wrong.", "I'm not convinced.",
    "I object to this patch.", "No reason to resend.",
    # The same verbs denied, fixed, of another version or time, the sender's own, conceded, asked, conditional, or
    # of no flaw (a wrapper's "wraps", a lock dropped, a check removed).
    "This no longer hides the error.", "The old code printed it twice; now once.",
    "The counter can't wrap: it is bounded by 16.", "Hides nothing, good.",
    "If the loop spins forever we have bigger problems.", "The previous version masked the error; this one doesn't.",
    "The loop gives up after 16 tries.", "It prints the message once.", "The retry is bounded by TDX_RETRIES.",
    "This terminates after at most 16 tries.", "Nothing is overwritten anymore.",
    "The cast no longer drops the top bits.", "The comment is accurate.", "The log line names the right leaf.",
    "With this patch the warning fires only once.", "The v2 version clobbered ret; v3 keeps it.",
    "Doesn't eat the error anymore, thanks.", "I masked the error myself while testing, ignore that.",
    "Masks are applied in the caller.", "The print is rate-limited, so it can't flood the log.",
    "This keeps the upper 32 bits.", "The loop exits as soon as the module says done.",
    "The helper never sleeps, so atomic context is fine.", "It returns -EBUSY only when the module is busy.",
    "It wraps, but that's harmless.", "Before this patch the counter wrapped at 255.",
    "It used to throw away the upper bits.", "This reverts the commit that introduced the hang.",
    "The loop never spins more than 16 times.", "The error is never masked.",
    "No SEAMCALL failure is reported as success anymore.", "Printing it twice was my mistake in v1.",
    "The comment tells the truth now.", "Thanks, this stops the log flood.",
    "I checked: it doesn't sleep in atomic context.", "Unless the module hangs, the loop terminates.",
    "The v2 version clobbered ret;", "This patch drops the warning.", "This wraps the SEAMCALL in a retry loop.",
    "The changelog wraps at 60 columns.", "Name it after what it wraps.", "The difference lies in the caller.",
    "This drops the lock before the SEAMCALL.", "I dropped the ret variable in v3.",
    "Overwriting ret here is intended.", "The hang is already fixed by commit 1234567890ab in -next.",
    "This drops the status check.",
    "This hides the implementation details from callers.", "The helper masks off the reserved bits, as the spec says.",
    "It drops the lock before calling into the module.", "We print the leaf once, on the first failure.",
    "It returns 0 on success and -EIO on failure.", "It returns 0 when the module is busy, and the caller retries.",
    "The counter is a u64, it can't realistically wrap.", "This loop spins at most 16 times.",
    "It sleeps with the lock dropped.", "It calls msleep() outside the spinlock.",
    "The module can tell us whether it is busy.",
    "Retries on every error are fine here because the module is idempotent.", "The old code hid the error.",
    "Previously the error was masked.", "Without this patch the status gets clobbered.",
    "This fixes the clobbered status.", "It wraps the call in scoped_guard().", "Hmm, does this drop the top bits?",
    "You're right that it never terminates; v3 adds a bound.", "The loop can never spin forever: it is bounded by 16.",
    "Nobody can tell the difference.", "Blocking the CPU here is expected; the module requires it.",
    "The spec says retry, but it's optional.", "This is limited to SPR.", "The loop stops after 16 tries.",
    "It never stops us from applying it.", "This drops the tdx_ prefix, which is nice.",
    "The patch drops TDX_SW_ERROR handling.", "seamcall_prerr() masks the status with TDX_SEAMCALL_STATUS_MASK.",
    "It returns true if the module is loaded.", "Logging on every retry is what we want for debugging.",
    "This function returns with the lock held, as documented in the comment.", "The callers all sleep, so no spinlock.",
    "We log the status once per failure.", "The message is printed for every failure, which is the point.",
    "Each CPU prints its own line.", "The helper hides the SEAMCALL details from the callers.",
    "The wrapper eats nothing: every error goes back to the caller.", "It throws away nothing.",
    "Dropping the lock here is safe.", "This keeps the error code intact.", "I reproduced the hang twice.",
    "I ran the test three times, all passed.", "The loader tells the two cases apart by the status.",
    "The u64 can't wrap in practice.", "Reported-by: Bot", "The function returns 0 on success.",
    "We return -EBUSY when the module is busy, as the spec requires.", "Thanks for spotting that the counter wraps.",
    "It no longer sleeps in atomic context.", "The patch stops masking the error.", "Fixed the clobbered ret in v4.",
    "This blocks the guest from issuing SEAMCALLs.", "It sleeps under the mutex lock.",
    "We call it twice: once to probe, once to load.", "The spec says retry, but the code now does.",
    "It no longer reintroduces the bug fixed by commit 1234567890ab.",
    "No way to tell from the log.", "You can't tell from the log.",
]


def test_the_reader() -> None:
    assert [s for s in STATED if not concern_stated(s) or point_sentence(s) != s] == []
    assert [s for s in NOT_STATED if concern_stated(s)] == []


@pytest.mark.parametrize("words", ["The lock is dropped too early.", "pr_warn, not pr_err.",
                                   "Nobody checks the return value.", "This doesn't need to be a macro."])
def test_a_flaw_stated_below_the_patch_blocks(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0, the reviewer's words said nowhere.
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("q1@example.org", words)]


@pytest.mark.parametrize("words", ["This hides the failure.",
                                   "This reintroduces the bug fixed by commit 1234567890ab."])
def test_a_flaw_told_by_what_the_code_does_blocks(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0 (harness.deedwords; "fixed" read as the flaw the patch fixes).
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("q1@example.org", words)]


@pytest.mark.parametrize("words", ["This fixes the leak I reported on v2.", "Redundant, but harmless.",
                                   "I tested this on SPR and EMR, no issues.", "This no longer hides the error.",
                                   "The counter can't wrap: it is bounded by 16."])
def test_a_flaw_fixed_conceded_or_denied_passes(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []
