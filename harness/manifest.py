"""Series manifests under series/: how to recognise a series, and its reviewer variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.model import Series
from harness.tomlfile import line_of, load_toml


@dataclass(frozen=True)
class ProposalRef:
    """A proposal found in a reply: its Message-ID, its index among that reply's proposals, a file."""

    msgid: str
    index: int
    file: str | None


@dataclass(frozen=True)
class VariantSpec:
    """A reviewer variant: a start state, patches dropped, and a patch file or a reply's proposal."""

    name: str
    start: str
    drop: tuple[int, ...]
    patches: tuple[Path, ...]
    proposal: ProposalRef | None
    msgid: str
    author: str
    description: str
    where: Where

    def missing(self, series: Series) -> str | None:
        """What the input lacks to build this variant (its start revision, the reply with its proposal)."""
        m = re.match(r"^v(\d+)", self.start)
        if m is None or series.revision(int(m.group(1))) is None:
            return f"the input has no {self.start.split(':')[0]} to start from"
        if self.proposal is not None and series.find_message(self.proposal.msgid) is None:
            return f"the reply <{self.proposal.msgid}> holding its proposal is not in the input"
        return None


@dataclass(frozen=True)
class Manifest:
    """One series folder's manifest."""

    path: Path
    name: str
    title: str
    cover_msgids: tuple[str, ...]
    title_pattern: str
    variants: tuple[VariantSpec, ...]

    def folder(self) -> Path:
        return self.path.parent

    def matches(self, series: Series) -> bool:
        covers = {r.cover.mail.msgid for r in series.revisions if r.cover}
        patches = {p.mail.msgid for p in series.all_patches()}
        if covers & set(self.cover_msgids) or patches & set(self.cover_msgids):
            return True
        return bool(self.title_pattern) and any(
            re.search(self.title_pattern, p.mail.subject.title) for p in series.all_patches()
        )


def _req(table: dict[str, Any], key: str, where: Where) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(where, f"missing or empty string '{key}'")
    return value


def _variant(table: dict[str, Any], path: Path, text: str) -> VariantSpec:
    name = str(table.get("name", ""))
    where = Where(str(path), line_of(text, f'"{name}"') if name else 0)
    name = _req(table, "name", where)
    patches = table.get("patches", [])
    prop = table.get("proposal")
    if patches and prop is not None:
        raise InputError(where, f"variant {name}: give 'patches' or 'proposal', not both")
    if not isinstance(patches, list) or not all(isinstance(p, str) for p in patches):
        raise InputError(where, f"variant {name}: 'patches' must be a list of file names")
    ref = None
    if isinstance(prop, dict):
        ref = ProposalRef(_req(prop, "msgid", where), int(prop.get("index", 0)), prop.get("file"))
    drop = table.get("drop", [])
    if not isinstance(drop, list) or not all(isinstance(d, int) for d in drop):
        raise InputError(where, f"variant {name}: 'drop' must be a list of patch numbers")
    for p in patches:
        if not (path.parent / p).is_file():
            raise InputError(where, f"variant {name}: patch file {p} not found")
    return VariantSpec(
        name=name, start=_req(table, "start", where), drop=tuple(drop), patches=tuple(path.parent / p for p in patches),
        proposal=ref, msgid=_req(table, "msgid", where), author=_req(table, "author", where),
        description=_req(table, "description", where), where=where,
    )


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest; errors name the file and the line of the offending entry."""
    text, data = load_toml(path)
    head = data.get("series", {})
    variants = tuple(_variant(v, path, text) for v in data.get("variant", []))
    names = [v.name for v in variants]
    for v in variants:
        if names.count(v.name) > 1:
            raise InputError(v.where, f"variant name {v.name} declared twice")
    return Manifest(
        path=path, name=str(head.get("name", path.parent.name)), title=str(head.get("title", "")),
        cover_msgids=tuple(head.get("msgids", [])), title_pattern=str(head.get("title_pattern", "")),
        variants=variants,
    )


def bundled_manifests() -> list[Path]:
    root = Path(str(resources.files("series")))
    return sorted(root.glob("*/manifest.toml"))


def find_manifest(series: Series, explicit: Path | None = None) -> Manifest | None:
    """The manifest named on the command line, else the bundled one that matches the series."""
    if explicit is not None:
        return load_manifest(explicit)
    for path in bundled_manifests():
        manifest = load_manifest(path)
        if manifest.matches(series):
            return manifest
    return None


def variant_names(series: Series, manifest_path: Path | None = None) -> list[str]:
    """Every variant name that ``apply``/``eval`` can build from this series (the manifest's ones too:
    ``manifest_path``, else the bundled manifest that matches the series)."""
    names: list[str] = []
    for rev in series.revisions:
        width = max(2, len(str(rev.total)))
        names.append(f"v{rev.version}:{0:0{width}d}")
        names.extend(f"v{rev.version}:{p.number:0{width}d}" for p in rev.patches)
        names.append(f"v{rev.version}")
    if len(series.revisions) == 1:
        names.append("base")
    manifest = find_manifest(series, manifest_path)
    if manifest is not None:
        names.extend(v.name for v in manifest.variants if v.missing(series) is None)
    return names
