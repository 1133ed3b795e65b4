"""harness.thanksummary: a b4 thank-you ("b4 ty") listing some of a series' patches applied holds the rest back."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.heldback import held_back
from harness.objections import ObjectionKind
from harness.thanksummary import thanks_summary
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

MAE, OLGA = "Mae Maint <mae@example.org>", "Olga Other <olga@example.org>"


# The titles of _gate's series, as b4 ty lists them (b4/ty.py generate_am_thanks: each patch's own subject).
TITLES = tuple(m["Subject"].split("] ", 1)[1]
               for m in preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)[1:])


def thanks(entries: dict[int, str | None], total: int = 3, counter: str = "{n}/{t}",
           titles: dict[int, str] | None = None) -> str:
    """A thank-you as b4 ty writes one (b4/ty.py DEFAULT_AM_TEMPLATE): the cover letter quoted, "Applied ...,
    thanks!", then per patch "[N/T] title" and its commit below it (None: "(no commit info)"); the title _gate's
    patch N's (TITLES), or ``titles``' for N."""
    lines = []
    for n, commit in entries.items():
        prefix = f"[{counter.format(n=str(n).zfill(len(str(total))), t=total)}] "
        title = (titles or {}).get(n) or (TITLES[n - 1] if n <= len(TITLES) else f"demo: patch number {n}")
        lines += [f"{prefix}{title}", " " * len(prefix) + (f"commit: {commit}" if commit else "(no commit info)")]
    return ("On Mon, 05 Jan 2026 09:00:00 +0000, Ann Author wrote:\n> This series adds a helper.\n>\n> [...]\n\n"
            "Applied to x86/tdx, thanks!\n\n" + "\n".join(lines)
            + "\n\nBest regards,\n-- \nMae Maint <mae@example.org>\n")


SHA1, SHA2, SHA3 = "0123456789abcdef0123456789abcdef01234567", "1f2e3d4c5b6a", "89abcdef0123"


@pytest.mark.parametrize(("entries", "held"), [
    ({1: SHA1, 3: SHA3}, (2,)),  # "b4 am -P 1,3": 2 is not listed
    ({1: SHA1, 2: None, 3: SHA3}, (2,)),  # b4 found no commit of 2
    ({2: SHA2}, (1, 3)),
])
def test_what_a_thank_you_leaves_out_is_held_back(entries: dict[int, str | None], held: tuple[int, ...]) -> None:
    assert held_back(thanks(entries).split("\n\n", 1)[1]) == (held, "Applied to x86/tdx, thanks!")


@pytest.mark.parametrize("text", [
    thanks({1: SHA1, 2: SHA2, 3: SHA3}).split("\n\n", 1)[1],  # every patch: nothing held
    "[1/3] looks fine to me\n[2/3] one nit below\n",  # a reviewer's list: no commits, nothing applied
    "Applied to x86/tdx, thanks!\n\n[1/1] demo: one patch\n      commit: 0123456789ab\n",  # one patch
    "[1/3] demo: patch number 1\n      commit: 0123456789ab\n",  # no word that it was applied
    "Applied, thanks!\n\n[1/3] demo: a decade of fixes\n      decade facade\n",  # no commit id ("decade" no hex id)
])
def test_what_holds_nothing_back(text: str) -> None:
    summary = thanks_summary(text)
    assert summary is None or not summary.held, summary
    assert held_back(text) is None


def test_counters_as_b4_pads_them_and_urls_of_a_tree_are_read() -> None:
    text = ("Applied to tip, thanks!\n\n[01/12] demo: one\n        https://git.kernel.org/tip/0123456789ab\n"
            "[12/12] demo: twelve\n        https://git.kernel.org/tip/fedcba987654\n")
    summary = thanks_summary(text)
    assert summary is not None and summary.applied == (1, 12) and summary.held == tuple(range(2, 12))


def _gate(tmp: Path, *said: tuple[str, str, str], variant: str = "v2") -> GateResult:
    """The gate of v2 of our own series (3 patches) with replies below its cover letter (Message-ID, words, sender),
    dated in order."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    out: list[EmailMessage] = [
        message(f"Re: {msgs[0]['Subject']}", msgid, words, sender=sender, parent=cover, refs=(cover,),
                date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000") for n, (msgid, words, sender) in enumerate(said)]
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *out])
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


def test_a_patch_a_thank_you_leaves_out_blocks_a_variant_applying_it(tmp_path: Path) -> None:
    # Before: v2 READY, exit 0: the thank-you read as nothing (or as all applied), and the gate passed patch 2,
    # which Mae did not apply.
    g = _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 3: SHA3}), MAE))
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 request to drop no rule judges"), \
        g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.author, o.sentence) == (ObjectionKind.DROP, "v2 02/3", "Mae Maint",
                                                        "Applied to x86/tdx, thanks!")
    assert o.note.startswith("left out of what its sender's thank-you lists as applied (1/3, 3/3): not applied"), \
        o.note
    assert not _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 3: SHA3}), MAE), variant="v2:01").objections
    assert not _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 2: SHA2, 3: SHA3}), MAE)).objections


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_two_thank_yous_of_one_sender_listing_every_patch_hold_nothing_back(tmp_path: Path,
                                                                            order: tuple[str, str]) -> None:
    # Applied 1 and 3, later 2 (or 2 first): each thank-you leaves out what the other lists, none is held back.
    said = {"a": ("ty1@example.org", thanks({1: SHA1, 3: SHA3}), MAE), "b": ("ty2@example.org", thanks({2: SHA2}), MAE)}
    g = _gate(tmp_path, *(said[k] for k in order))
    assert not g.objections and g.exit_status == 0, g.objections


def test_a_series_split_between_two_trees_is_all_applied(tmp_path: Path) -> None:
    # Mae applied 1 and 3, Olga 2: each thank-you leaves out the other's, and neither is held back.
    olga = thanks({2: SHA2}).replace("Mae Maint <mae", "Olga Other <olga")
    g = _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 3: SHA3}), MAE), ("ty2@example.org", olga, OLGA))
    assert not g.objections and g.exit_status == 0, g.objections


def test_a_patch_held_back_in_words_is_not_lifted_by_anothers_thank_you(tmp_path: Path) -> None:
    g = _gate(tmp_path, ("a1@example.org", "Applied 1 and 3, thanks. 2 needs more work.\n", MAE),
              ("ty2@example.org", thanks({2: SHA2}).replace("Mae Maint <mae", "Olga Other <olga"), OLGA))
    assert [(o.target, o.msgid) for o in g.objections] == [("v2 02/3", "a1@example.org")], g.objections


def test_a_thank_you_after_the_sender_dropped_a_patch_thanks_only_for_it(tmp_path: Path) -> None:
    # "Dropped 2/3." then a thank-you for 2/3 alone, re-applied: 1/3 and 3/3 were in the tree before. Before this
    # fix: NOT READY, exit 1, on 1/3 and 3/3 held back.
    from tests.harness.test_maintainer_drop import _two
    ty = thanks({2: SHA2}).split("\n\n", 1)[1]
    assert _two(tmp_path, "Dropped 2/3, thanks.", ty) == 0
    assert _two(tmp_path, ty, "Dropped 2/3, thanks.") == 1  # dropped after: 2/3 is out


@pytest.mark.parametrize("before", ["Please don't apply 3/3.\n", "I won't take 3/3.\n", "Please drop patch 3.\n"])
def test_a_request_or_refusal_by_number_before_a_thank_you_says_nothing_of_the_rest(tmp_path: Path,
                                                                                    before: str) -> None:
    # Before: v2:02 READY, exit 0: the sender's request (or refusal) by number was read as a drop, saying the rest
    # were in their tree, so the thank-you for 1/3 alone held 2/3 back no more, and v2:02 passed it.
    g = _gate(tmp_path, ("a1@example.org", before, MAE), ("ty1@example.org", thanks({1: SHA1}), MAE), variant="v2:02")
    assert [o.target for o in g.objections] == ["v2 02/3"] and g.exit_status == 1, g.objections


def test_a_thank_you_b4_found_no_commit_of_any_patch_for_holds_them_all(tmp_path: Path) -> None:
    # b4 ty warns "None of the patches matched" and writes "(no commit info)" under each (b4/ty.py
    # generate_am_thanks), as under one patch, which was held already. Before: summary None, v2 READY, exit 0 (2/3,
    # not even listed, passed too).
    text = thanks({1: None, 3: None})
    summary = thanks_summary(text.split("\n\n", 1)[1])
    assert summary is not None and summary.applied == () and summary.held == (1, 2, 3)
    g = _gate(tmp_path, ("ty1@example.org", text, MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 01/3, 02/3, 03/3")], g.objections
    assert "no commit" in g.objections[0].note, g.objections[0].note
    assert g.exit_status == 1


# Before: a thank-you whose counters give another total than the series' read by its counters: "[1/2] <1/3's title>"
# and "[2/2] <3/3's title>" applied 1 and 2 of 3, and the gate passed 2/3 (v2 READY, exit 0).
MISCOUNTED = {1: TITLES[0], 2: TITLES[2]}


@pytest.mark.parametrize(("entries", "total", "titles", "applied", "strays"), [
    ({1: SHA1, 2: SHA3}, 2, MISCOUNTED, (1, 3), ()),  # another total: each patch by its title
    ({1: SHA1, 2: SHA3}, 3, MISCOUNTED, (1, 3), ()),  # the series' total, 2/3's title at 3/3's counter
    ({1: SHA1, 2: SHA2}, 2, {1: TITLES[0], 2: "demo: a patch of no revision"}, (1,), ("demo: a patch of no revision",)),
    # In any case, or wrapped by the mailer (its first words alone on the counter's line).
    ({1: SHA1, 2: SHA3}, 2, {1: TITLES[0].upper(), 2: " ".join(TITLES[2].split()[:3])}, (1, 3), ()),
])
def test_a_thank_you_counting_another_series_is_read_by_its_titles(entries: dict[int, str | None], total: int,
                                                                   titles: dict[int, str], applied: tuple[int, ...],
                                                                   strays: tuple[str, ...]) -> None:
    text = thanks(entries, total=total, titles=titles).split("\n\n", 1)[1]
    summary = thanks_summary(text, TITLES)
    assert summary is not None and (summary.applied, summary.total, summary.strays) == (applied, 3, strays), summary
    assert summary.held == tuple(n for n in (1, 2, 3) if n not in applied)
    assert held_back(text, TITLES) == (summary.held, "Applied to x86/tdx, thanks!")


# Before: a summary none of whose titles is a patch of the series read as none applied, every patch held back below
# the "Applied, thanks!" said to them (v2 NOT READY, "left out of what its sender's thank-you lists as applied (none)").
# It is another series' summary, and says nothing of which of these were applied.
def test_a_thank_you_listing_no_patch_of_the_series_is_none_of_its_summaries(tmp_path: Path) -> None:
    other = {1: "demo: fix a leak in another driver", 2: "demo: fix a crash in another one"}
    text = thanks({1: SHA1, 2: SHA2}, total=2, titles=other).split("\n\n", 1)[1]
    assert thanks_summary(text, TITLES) is None
    g = _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 2: SHA2}, total=2, titles=other), MAE))
    assert not g.objections and g.exit_status == 0, g.objections
    # One title of the series among them: read by its titles, the rest held back as before.
    mixed = thanks({1: SHA1, 2: SHA2}, total=2, titles={1: TITLES[0], 2: other[2]})
    assert _gate(tmp_path, ("ty1@example.org", mixed, MAE)).exit_status == 1


def test_a_thank_you_whose_counters_and_titles_agree_is_read_as_before() -> None:
    text = thanks({1: SHA1, 3: SHA3}).split("\n\n", 1)[1]
    summary = thanks_summary(text, TITLES)
    assert summary is not None and (summary.applied, summary.held, summary.strays) == ((1, 3), (2,), ())
    assert thanks_summary(text) == summary  # no titles known: by its counters
    every = thanks_summary(thanks({1: SHA1, 2: SHA2, 3: SHA3}).split("\n\n", 1)[1], TITLES)
    assert every is not None and not every.held


def test_a_patch_a_miscounted_thank_you_leaves_out_blocks_a_variant_applying_it(tmp_path: Path) -> None:
    g = _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 2: SHA3}, total=2, titles=MISCOUNTED), MAE))
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")], \
        g.objections
    assert g.objections[0].note.startswith("left out of what its sender's thank-you lists as applied (1/3, 3/3)"), \
        g.objections[0].note
    assert not _gate(tmp_path, ("ty1@example.org", thanks({1: SHA1, 2: SHA3}, total=2, titles=MISCOUNTED), MAE),
                     variant="v2:01").objections


def test_a_listed_title_of_no_patch_counts_as_none_and_is_said(tmp_path: Path) -> None:
    stray = thanks({1: SHA1, 2: SHA2}, total=2, titles={1: TITLES[0], 2: "demo: a patch of no revision"})
    g = _gate(tmp_path, ("ty1@example.org", stray, MAE))
    assert g.exit_status == 1 and [o.target for o in g.objections] == ["v2 02/3, 03/3"], g.objections
    note = g.objections[0].note
    assert "(1/3)" in note and "'demo: a patch of no revision'" in note and "no patch of this revision" in note, note


def test_a_miscounted_thank_you_and_anothers_for_the_patch_it_leaves_out_hold_nothing_back(tmp_path: Path) -> None:
    # Mae applied 1/3 and 3/3 (her thank-you counts 2), Olga 2/3: split between trees, all applied. Before: the
    # thank-you's counters read as 1 and 2 applied where the drop is judged, Olga's 2/3 lifted nothing, exit 1.
    mae = thanks({1: SHA1, 2: SHA3}, total=2, titles=MISCOUNTED)
    g = _gate(tmp_path, ("ty1@example.org", mae, MAE), ("a2@example.org", "Applied 2/3 to net, thanks.\n", OLGA))
    assert not g.objections and g.exit_status == 0, g.objections


def _pwbot(listed: tuple[int, ...]) -> str:
    """The patchwork bot's notice that a series was applied, its summary listing ``listed`` with their commits."""
    lines = "".join(f"  - [v2,{n}/3] {TITLES[n - 1]}\n    https://git.kernel.org/netdev/net-next/c/{n}a2b3c4d5e6f\n"
                    for n in listed)
    return ("Hello:\n\nThis series was applied to netdev/net-next.git (main)\nby Mae Maint <mae@example.org>:\n\n"
            f"On Mon, 05 Jan 2026 10:00:00 +0000 you wrote:\n> Our cover letter.\n\nHere is the summary with links:\n"
            f"{lines}\nYou are awesome, thank you!\n")


def test_the_patchwork_bots_summary_is_read_as_a_thank_you(tmp_path: Path) -> None:
    # "  - [v2,1/3] title" then its commit's URL: 2/3 left out is not applied. Before: v2 READY, exit 0.
    summary = thanks_summary(_pwbot((1, 3)), TITLES)
    assert summary is not None and summary.applied == (1, 3) and summary.held == (2,)
    bot = "patchwork-bot+netdevbpf@kernel.org"
    g = _gate(tmp_path, ("w1@example.org", _pwbot((1, 3)), bot))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")] and g.exit_status == 1
    assert not _gate(tmp_path, ("w1@example.org", _pwbot((1, 2, 3)), bot)).objections


@pytest.mark.parametrize(("titles", "applied"), [({1: TITLES[1]}, (2,)), ({1: TITLES[0]}, (1,)),
                                                 ({1: "demo: a patch of no revision"}, ())])
def test_a_thank_you_for_one_patch_alone_holds_none_of_the_others(tmp_path: Path, titles: dict[int, str],
                                                                  applied: tuple[int, ...]) -> None:
    # "[1/1]": b4 was handed that patch by itself; it says nothing of the series' others. Before: NOT READY, exit 1,
    # the others "left out of what its sender's thank-you lists as applied (2/3)".
    text = thanks({1: SHA2}, total=1, titles=titles)
    summary = thanks_summary(text.split("\n\n", 1)[1], TITLES)
    if not applied:  # its one title no patch of the series: another series' summary, none of these
        assert summary is None, summary
    else:
        assert summary is not None and summary.applied == applied and not summary.held, summary
    g = _gate(tmp_path, ("ty1@example.org", text, MAE))
    assert not g.objections and g.exit_status == 0, g.objections


def test_a_thank_you_for_one_patch_alone_with_no_commit_holds_that_one(tmp_path: Path) -> None:
    summary = thanks_summary(thanks({1: None}, total=1, titles={1: TITLES[1]}).split("\n\n", 1)[1], TITLES)
    assert summary is not None and summary.held == (2,), summary
