"""A Reviewed-by or Acked-by its sender took back is shown as withdrawn, never as a tag ``b4 am`` should add."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from rich.console import Console

from harness.ingest import IngestRequest, parse_series
from reports.series_view import series_to_dict, series_tree
from tests.mailgen import demo_series, message, write_mbox

ROOT = Path(__file__).resolve().parents[2]
MAE = "Mae Maint <mae@example.org>"
TAG = "Reviewed-by: Mae Maint <mae@example.org>"


def _reply(n: int, body: str, parent: str = "p2-v2@example.org", sender: str = MAE) -> object:
    return message("Re: [PATCH v2 2/3] demo: print fn in decimal", f"r{n}@example.org", body, sender=sender,
                   parent=parent, refs=("cover-v2@example.org", "p2-v2@example.org"),
                   date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000")


def _series(tmp: Path, *replies: object) -> tuple[str, dict[str, object]]:
    """The terminal tree (plain text, joined lines) and v2 02/3's JSON record."""
    series = parse_series(IngestRequest((write_mbox(tmp / "t.mbox", [*demo_series(), *replies]),)))  # type: ignore[list-item]
    console = Console(width=250, record=True)
    console.print(series_tree(series, []))
    doc = series_to_dict(series, [])
    jsonschema.validate(doc, json.loads((ROOT / "reports" / "series.schema.json").read_text()))
    return console.export_text(), doc["revisions"][0]["patches"][1]  # type: ignore[index]


def test_a_withdrawn_tag_is_no_follow_up_trailer_and_is_said_withdrawn(tmp_path: Path) -> None:
    # Before: '+ Reviewed-by: Mae ...' (as b4 am adds it) and followup_trailers holding it, the withdrawal listed
    # only as a reply's 'Reviewed-by-withdrawn': a maintainer applying with b4 picked the withdrawn tag up.
    text, p2 = _series(tmp_path, _reply(1, f"Looks good.\n\n{TAG}\n"),
                       _reply(2, "I retract my Reviewed-by, I missed the overflow.\n", parent="r1@example.org"))
    assert p2["followup_trailers"] == [], p2
    assert p2["withdrawn_trailers"] == [{"key": "Reviewed-by", "value": "Mae Maint <mae@example.org>",
                                         "msgid": "r1@example.org", "line": p2["withdrawn_trailers"][0]["line"],
                                         "carried": False, "withdrawn_msgid": "r2@example.org",
                                         "sentence": "I retract my Reviewed-by, I missed the overflow."}], p2
    assert f"+ {TAG}" not in text, text
    assert (f"- {TAG} (withdrawn by its sender <r2@example.org>: \"I retract my Reviewed-by, I missed the "
            "overflow.\"; b4 am still adds it: leave it out)") in text, text
    giver = next(ln for ln in text.splitlines() if "<r1@example.org>" in ln)
    assert "Reviewed-by (withdrawn)" in giver, giver


def test_a_tag_carried_by_the_patch_and_withdrawn_below_it_is_said_withdrawn(tmp_path: Path) -> None:
    msgs = demo_series()
    body = msgs[2].get_content().replace("Signed-off-by: Ann", f"{TAG}\nSigned-off-by: Ann")
    carried = message(str(msgs[2]["Subject"]), "p2-v2@example.org", body, parent="cover-v2@example.org",
                      refs=("cover-v2@example.org",))
    mails = [*msgs[:2], carried, *msgs[3:], _reply(1, "Please drop my Reviewed-by, the loop is unbounded.\n")]
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", mails),)))
    console = Console(width=250, record=True)
    console.print(series_tree(series, []))
    text, p2 = console.export_text(), series_to_dict(series, [])["revisions"][0]["patches"][1]
    assert [(w["key"], w["carried"], w["withdrawn_msgid"]) for w in p2["withdrawn_trailers"]] == [
        ("Reviewed-by", True, "r1@example.org")], p2
    assert (f"- {TAG} (carried by the patch, withdrawn by its sender <r1@example.org>: \"Please drop my "
            "Reviewed-by, the loop is unbounded.\"; b4 am keeps it: remove it)") in text, text


def test_a_tag_given_again_or_taken_back_by_another_stays(tmp_path: Path) -> None:
    text, p2 = _series(tmp_path, _reply(1, f"{TAG}\n"), _reply(2, "I retract my Reviewed-by.\n"),
                       _reply(3, f"Fixed in the fixup, thanks.\n\n{TAG}\n"),
                       _reply(4, "I retract my Reviewed-by.\n", sender="Olga Other <olga@example.org>"))
    assert [t["value"] for t in p2["followup_trailers"]] == ["Mae Maint <mae@example.org>"] \
        and p2["withdrawn_trailers"] == [], p2
    assert f"+ {TAG}" in text and "(withdrawn" not in text, text


def test_a_v2_tag_taken_back_below_v3_which_carries_it_is_said_withdrawn_on_v2_too(tmp_path: Path) -> None:
    # As the gate reads it (takenback: the NAK it lifted stands again): v2 02/3's tag must not be applied either.
    v3 = demo_series(3)
    v3[2] = message(str(v3[2]["Subject"]), "p2-v3@example.org",
                    v3[2].get_content().replace("Signed-off-by: Ann", f"{TAG}\nSigned-off-by: Ann"),
                    parent="cover-v3@example.org", refs=("cover-v3@example.org",))
    back = message("Re: [PATCH v3 2/3] demo: print fn in decimal", "r2@example.org", "I retract my Reviewed-by.\n",
                   sender=MAE, parent="p2-v3@example.org", refs=("cover-v3@example.org", "p2-v3@example.org"),
                   date="Mon, 05 Jan 2026 12:00:00 +0000")
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(), *v3, _reply(1, f"{TAG}\n"),
                                                                           back]),)))  # type: ignore[list-item]
    doc = series_to_dict(series, [])
    v2p2, v3p2 = (r["patches"][1] for r in doc["revisions"])
    assert v2p2["followup_trailers"] == [] and [(w["msgid"], w["carried"], w["withdrawn_msgid"])
                                               for w in v2p2["withdrawn_trailers"]] == [
        ("r1@example.org", False, "r2@example.org")], v2p2
    assert [(w["carried"], w["withdrawn_msgid"]) for w in v3p2["withdrawn_trailers"]] == [(True, "r2@example.org")]
