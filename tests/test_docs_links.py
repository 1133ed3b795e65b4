"""Every relative link of README.md and docs/ resolves, and every docs/ page is linked.

Every relative link of README.md and docs/ resolves (file and #anchor), every page of docs/ is linked from the
README, and every docs/ page the code or the pages name exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"(?<!\\)\[[^\]\n]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# A docs page named in prose or code (`docs/rules.md`, docs/matrix.md#...); git-lfs's own docs/spec.md is not ours.
NAMED_PAGE = re.compile(r"(?<![\w/.-])(?<!git-lfs )docs/[\w./-]+\.(?:md|yml)")


def _prose(text: str) -> str:
    """The text a renderer reads links from: fenced blocks and code spans blanked (a `[x](y)` there is code)."""
    text = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def anchors(text: str) -> set[str]:
    """The heading ids GitHub gives a page: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    out = set()
    for title in HEADING.findall(FENCE.sub("", text)):
        plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
        slug = re.sub(r"[^\w\- ]", "", plain.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def broken_links(page: Path) -> list[str]:
    """Each relative link of ``page`` whose file is missing, or whose #anchor is no heading of its page."""
    text = page.read_text()
    out = []
    for target in LINK.findall(_prose(text)):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not checked here
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            out.append(f"{page.name}: {target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text()):
            out.append(f"{page.name}: {target}: no heading #{anchor} in {dest.name}")
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    assert broken_links(page) == []


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A page\n\n## Exit status\n")
    page = tmp_path / "README.md"
    page.write_text("See [a](docs/a.md), [its exits](docs/a.md#exit-status), [b](docs/b.md),\n"
                    "[no such](docs/a.md#exit-codes), [here](#top) and `[code](docs/c.md)`.\n\n"
                    "```\n[fenced](docs/d.md)\n```\n# Top\n")
    assert broken_links(page) == ["README.md: docs/b.md: no such file",
                                  "README.md: docs/a.md#exit-codes: no heading #exit-codes in a.md"]


def test_anchors_are_githubs() -> None:
    text = "# `seamharness series --json`: schema `seamharness-series/1`\n## Limits\n## Limits\n```\n# not one\n```\n"
    assert anchors(text) == {"seamharness-series---json-schema-seamharness-series1", "limits", "limits-1"}


def test_every_docs_page_is_linked_from_the_readme() -> None:
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in LINK.findall(_prose((ROOT / "README.md").read_text()))}
    assert [p.name for p in sorted((ROOT / "docs").glob("*.md")) if p.resolve() not in linked] == []


def _sources() -> list[Path]:
    code = [p for pkg in ("harness", "models", "reports", "series", "tests") for p in (ROOT / pkg).rglob("*.py")]
    here = Path(__file__).resolve()  # its own examples name pages that do not exist
    return [*PAGES, *(p for p in code if p.resolve() != here), ROOT / "noxfile.py", ROOT / "pyproject.toml"]


def test_every_docs_page_named_exists() -> None:
    """A page named in prose, a comment or a message (`--matrix FILE: docs/matrix.md`) is one a reader can open."""
    missing = sorted({f"{p.relative_to(ROOT)}: {name}" for p in _sources() if p.exists()
                      for name in NAMED_PAGE.findall(p.read_text()) if not (ROOT / name).exists()})
    assert missing == []
