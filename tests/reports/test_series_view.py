"""The series tree (reports.series_view.series_tree): what a reader of ``seamharness series`` sees of the thread."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.ingest import IngestRequest, parse_series
from reports.series_view import series_tree
from tests.mailgen import demo_series, message, write_mbox


def test_the_replies_of_a_posting_a_point_update_replaced_are_listed_under_it(tmp_path: Path) -> None:
    # Before: "supersedes <p2-v2@example.org>" alone; Mae's NAK of it was in series --json only.
    msgs = demo_series()
    old = msgs[2]
    update = message(str(old["Subject"]).replace("PATCH v2 ", "PATCH v2.1 "), "p2-v2.1@example.org",
                     old.get_content(), parent="p2-v2@example.org", refs=("cover-v2@example.org", "p2-v2@example.org"))
    nak = message(f"Re: {old['Subject']}", "nak@example.org", "> Change number 2.\n\nNAK, keep it in hex.\n",
                  sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org",
                  refs=("cover-v2@example.org", "p2-v2@example.org"))
    series = parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*msgs, nak, update]),)))
    console = Console(width=200, record=True)
    console.print(series_tree(series, []))
    lines = console.export_text().splitlines()
    at = next(i for i, ln in enumerate(lines) if "supersedes <p2-v2@example.org>" in ln)
    assert "Mae Maint" in lines[at + 1] and "NAK" in lines[at + 1] and "<nak@example.org>" in lines[at + 1], lines
