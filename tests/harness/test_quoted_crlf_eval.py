"""An eval of a series whose patch mails decode to CR LF lines runs as with LF lines.

An eval of a series whose patch mails decode to CR LF lines (base64 of a Windows mailer's text), whose files git
am writes with their CRs: every state is usable and each run comes out as for the same series sent with LF lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import dropping_series
from tests.mailgen import write_mbox


def _eval(tmp: Path, name: str, crlf: bool) -> dict[str, Any]:
    msgs = dropping_series()
    for m in msgs[1:] if crlf else ():
        if "0/" not in m["Subject"]:
            body = m.get_content()
            m.set_content(body.replace("\n", "\r\n").encode(), maintype="text", subtype="plain", cte="base64")
    out = tmp / f"{name}.json"
    res = CliRunner().invoke(app, ["eval", str(write_mbox(tmp / f"{name}.mbox", msgs)), "--json", str(out),
                                   "--no-cache", "--time-budget", "0", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def test_a_quoted_crlf_series_runs_as_its_lf_twin(tmp_path: Path) -> None:
    # Before: the files the patches create were unusable (their blob ids are not the index lines'), every run of
    # them 'not compared'.
    lf, cr = _eval(tmp_path, "lf", crlf=False), _eval(tmp_path, "cr", crlf=True)
    # A revision comparison's code (harness.samecode) is no run: the files git am writes differ by their CRs (the
    # note below), so their blobs do; what ran is compared.
    def ran(report: dict[str, Any]) -> list[dict[str, Any]]:
        return [{k: v for k, v in c.items() if k != "code"} for c in report["differences"]]

    same = all(cr[key] == lf[key] for key in ("outcome_parts", "outcomes", "results"))
    assert lf["outcomes"] and same and ran(lf) == ran(cr), "runs differ"
    notes = [f for v in cr["variants"] for f in v["adds"]["findings"]]  # type: ignore[attr-defined]
    assert notes and all("by CRs alone: its lines end in CR LF" in f for f in notes), notes
