"""A cover letter's base info (git format-patch --base) is no trailer of it; what git interpret-trailers reads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, write_eml

BASE = "base-commit: 0123456789abcdef0123456789abcdef01234567"
PREREQ = "prerequisite-patch-id: 1111111111111111111111111111111111111111"
ACK = "Acked-by: Rita Reviewer <rita@example.com>"
# Cover letter bodies: format-patch --base writes its lines last, after the shortlog and diffstat, before the
# signature; a cover written by hand may carry an ack of its own above them, in the same paragraph or not.
BODIES = {
    "base alone": f"Cover letter text.\n\n{BASE}\n",
    "base and prerequisite": f"Cover letter text.\n\n{BASE}\n{PREREQ}\n",
    "ack, then base": f"Cover letter text.\n\n{ACK}\n\n{BASE}\n{PREREQ}\n",
    "ack beside base": f"Cover letter text.\n\n{ACK}\n{BASE}\n",
    "format-patch": (f"Cover letter text.\n\nAnn Author (1):\n  demo: add helper\n\n drivers/demo/helper.h | 2 +-\n"
                     f" 1 file changed, 1 insertion(+), 1 deletion(-)\n\n\n{BASE}\n-- \n2.47.0\n"),
    "ack, no base": f"Cover letter text.\n\n{ACK}\n",
}


def _git_trailers(body: str) -> list[tuple[str, str]]:
    """git interpret-trailers --parse on the cover letter's own text: without the lines format-patch --base adds."""
    own = "".join(line for line in body.splitlines(keepends=True)
                  if not re.match(r"(base-commit|prerequisite-patch-id):", line))
    out = subprocess.run(["git", "interpret-trailers", "--parse"], input=f"demo: helper rework\n\n{own}".encode(),
                         capture_output=True, check=True).stdout.decode()
    return [(k, v.strip()) for k, _, v in (line.partition(":") for line in out.splitlines())]


@pytest.mark.skipif(shutil.which("git") is None, reason="git interpret-trailers is the oracle")
@pytest.mark.parametrize("name", list(BODIES))
def test_a_cover_letters_base_lines_are_no_trailers(tmp_path: Path, name: str) -> None:
    # Before: base-commit: (and prerequisite-patch-id:) were listed among the cover letter's trailers in series
    # --json, as interpret-trailers reads them only when they end the text with nothing after them.
    body = BODIES[name]
    mail = message("[PATCH v2 0/1] demo: helper rework", "cover-v2@example.org", body)
    series = parse_series(IngestRequest((write_eml(tmp_path / "c.eml", mail),)))
    cover = series.revisions[0].cover
    assert cover is not None
    assert [(t.key, t.value) for t in cover.trailers] == _git_trailers(body)
    assert cover.base_commit == ("0123456789abcdef0123456789abcdef01234567" if BASE in body else None), cover
    assert cover.prerequisites == (("1111111111111111111111111111111111111111",) if PREREQ in body else ())


def test_a_patchs_own_base_line_stays_what_git_am_commits(tmp_path: Path) -> None:
    # Only a cover letter's base info is format-patch's: a one-patch mail's message is what git am commits, and
    # interpret-trailers reads a base-commit: line ending it as a trailer of the commit.
    body = (f"Change it.\n\nSigned-off-by: Ann Author <ann@example.org>\n{BASE}\n---\n"
            f"{diff(HELPER_PATH, HELPER_V0, HELPER_V1)}-- \n2.47.0\n")
    mail = message("[PATCH] demo: change it", "one@example.org", body)
    series = parse_series(IngestRequest((write_eml(tmp_path / "p.eml", mail),)))
    keys = [t.key for t in series.all_patches()[0].trailers]
    assert keys == ["Signed-off-by", "base-commit"], keys
