"""Series manifests under series/: how to recognise a series, and its reviewer variants."""

from __future__ import annotations

import difflib
import re
from dataclasses import field
from pathlib import Path

from harness.errors import InputError, Where
from harness.model import Series
from harness.seriesid import SeriesIdentity, named_reason, recognise, rules_keys
from harness.spec import key_locator, read_spec
from harness.tomlfile import line_of, load_toml
from models.record import record
from series import BUNDLED


@record
class ProposalRef:
    """A proposal found in a reply: its Message-ID, its index among that reply's proposals, a file. ``joined``: the
    reply's bare hunks (index, the file each fits) that make the proposal together (harness.hunkfit); ``under``:
    (Message-ID, index) of the replies' diffs applied before it, in order (a counter-proposal on another's)."""

    msgid: str
    index: int
    file: str | None
    joined: tuple[tuple[int, str], ...] = ()
    under: tuple[tuple[str, int], ...] = ()


@record
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
    known: tuple[str, ...] = ()  # the manifest's Message-IDs of the series' revisions
    over: str | None = None  # the reviewer variant a counter-proposal is built on (ProposalRef.under): compared too

    def missing(self, series: Series) -> str | None:
        """What the input lacks to build this variant: its start revision, one known to be the revision the
        variant was written for (a Message-ID of the manifest's, or the message asking for it, in it; a
        series that only looks alike by its titles is another one), the reply with its proposal."""
        m = re.match(r"^v(\d+)", self.start)
        rev = series.revision(int(m.group(1))) if m is not None else None
        if rev is None:
            return f"the input has no {self.start.split(':')[0]} to start from"
        ids = {p.mail.msgid for p in rev.patches} | ({rev.cover.mail.msgid} if rev.cover else set())
        if not ids & set(self.known) and series.find_message(self.msgid) is None:
            refs = {r for p in rev.patches for r in (*p.mail.references, p.mail.in_reply_to) if r}
            have = sorted(p.number for p in rev.patches)
            lacking = [n for n in range(1, max(have, default=0)) if n not in have]
            if refs & set(self.known) and lacking:  # its patches answer the manifest's cover: a part of that one
                return (f"the input holds part of the v{rev.version} it was written for (patch "
                        f"{', '.join(f'{n:02d}' for n in have)} of {rev.total}): give the patches before too "
                        f"({', '.join(f'{n:02d}' for n in lacking)})")
            return (f"the input's v{rev.version} is not the one it was written for: none of its Message-IDs is "
                    f"the manifest's, and <{self.msgid}> asking for it is not in the input")
        if self.proposal is not None and series.find_message(self.proposal.msgid) is None:
            near = difflib.get_close_matches(self.proposal.msgid, series.message_ids(), n=1, cutoff=0.8)
            hint = f" (did you mean <{near[0]}>?)" if near else ""
            return f"the reply <{self.proposal.msgid}> holding its proposal ({self.where}) is not in the input{hint}"
        return None


@record
class Skip:
    """A reviewer variant that was not built, and why (its input is missing, or it does not apply here)."""

    name: str
    reason: str

    def __str__(self) -> str:
        return f"variant {self.name} skipped: {self.reason}"


@record
class Manifest:
    """One series folder's manifest."""

    path: Path
    name: str
    title: str
    cover_msgids: tuple[str, ...]
    variants: tuple[VariantSpec, ...]
    authors: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()

    def folder(self) -> Path:
        return self.path.parent

    def matches(self, series: Series) -> bool:
        return self.match_reason(series) is not None

    def named(self) -> tuple[str, ...]:
        """The Message-IDs the manifest names: its cover letters', its variants' replies' and proposals'."""
        asked = [m for v in self.variants for m in (v.msgid, v.proposal.msgid if v.proposal else "") if m]
        return tuple(dict.fromkeys((*self.cover_msgids, *asked)))

    def identity(self) -> SeriesIdentity:
        """What names the series: the manifest's keys, and the Message-IDs and patch titles of the rules.toml
        beside it (a series is the one its rules were written for)."""
        cited, titles = rules_keys(self.folder())
        return SeriesIdentity(named=self.named(), cited=cited, authors=self.authors, covers=self.covers,
                              titles=tuple(dict.fromkeys(t.strip() for t in (*self.titles, *titles) if t.strip())))

    def match_reason(self, series: Series) -> str | None:
        """Why this manifest is the series' (harness.seriesid.recognise); None when it is not. A message the manifest
        names is recognise's first reason, asked before the rules beside it are read for the others (a TOML parse
        of the rules file: some 5% of the bytecode a `series` run of the corpus ran)."""
        return named_reason(series, self.named()) or recognise(series, self.identity())


@record
class _ProposalSpec:
    msgid: str
    index: int = 0
    file: str | None = None


@record
class _VariantSpec:
    name: str
    start: str
    msgid: str
    author: str
    description: str
    drop: tuple[int, ...] = ()
    patches: tuple[str, ...] = ()
    proposal: _ProposalSpec | None = None


@record
class _SeriesSpec:
    name: str | None = None
    title: str = ""
    msgids: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()


@record
class ManifestFile:
    """A manifest as written (the comment at the top of series/*/manifest.toml): every key, of its type."""

    series: _SeriesSpec = field(default_factory=_SeriesSpec)
    variant: tuple[_VariantSpec, ...] = ()


def _name_line(text: str, index: int) -> int:
    """The line of the ``name`` key of the ``index``-th ``[[variant]]`` table (its header's when it has none): a
    name written with TOML escapes is not found as its value is."""
    lines = text.splitlines()
    heads = [n for n, ln in enumerate(lines, start=1) if re.match(r"\s*\[\[\s*variant\s*\]\]", ln)]
    if index >= len(heads):
        return 0
    end = heads[index + 1] if index + 1 < len(heads) else len(lines) + 1
    return next((n for n in range(heads[index], end) if re.match(r"\s*name\s*=", lines[n - 1])), heads[index])


def _variant(v: _VariantSpec, path: Path, text: str, known: tuple[str, ...], index: int) -> VariantSpec:
    where = Where(str(path), _name_line(text, index) or (line_of(text, f'"{v.name}"') if v.name else 0))
    for key in ("name", "start", "msgid", "author", "description"):
        if not getattr(v, key):
            raise InputError(where, f"missing or empty string '{key}'")
    if re.fullmatch(r"v\d+(?::\d+)?|base", v.name):  # it would shadow a revision state of that name
        raise InputError(where, f"variant {v.name}: a revision state's name (vN, vN:KK, base); name it otherwise")
    if not re.fullmatch(r"[A-Za-z0-9][\w.+-]*", v.name):
        # A rule's reference, a --variant argument and a report's anchor name it: letters, digits, . _ + - only.
        raise InputError(where, f"variant {v.name!r}: a name is letters, digits and . _ + - (no spaces, quotes, "
                                "':' or '#'), as rules refer to it")
    for p in v.patches:
        if not (path.parent / p).is_file():
            raise InputError(where, f"variant {v.name}: patch file {p} not found")
    for n in v.drop:  # else "drops v2 -1/3, which is not in the input: give every patch of the revision"
        if n < 1:
            raise InputError(where, f"variant {v.name}: drop {n}: patches are numbered from 1 (00 is the cover "
                                    "letter, which holds no change)")
    if len(set(v.drop)) != len(v.drop):  # else reported as "drops 06, 06", a patch dropped twice
        twice = sorted({n for n in v.drop if v.drop.count(n) > 1})
        raise InputError(where, f"variant {v.name}: drop names patch {', '.join(map(str, twice))} more than once")
    if v.proposal is not None and v.proposal.index < 0:  # Python's [-1] would take the reply's last diff silently
        raise InputError(where, f"variant {v.name}: proposal index {v.proposal.index}: the reply's diffs are counted "
                                "from 0 (its first)")
    ref = ProposalRef(v.proposal.msgid, v.proposal.index, v.proposal.file) if v.proposal is not None else None
    return VariantSpec(name=v.name, start=v.start, drop=v.drop, patches=tuple(path.parent / p for p in v.patches),
                       proposal=ref, msgid=v.msgid, author=v.author, description=v.description, where=where,
                       known=known)


def load_manifest(path: Path) -> Manifest:
    """Read and check a manifest (ManifestFile: unknown keys and wrong types refused); errors name the file
    and the line of the offending entry. Raises InputError.

    A command asks for the same manifest several times (variant names, what cannot be built, the variants
    themselves): a file not changed since (same inode, size and mtime) is read once a process.
    """
    try:
        st = path.stat()
        key: tuple[object, ...] | None = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        key = None  # reading it says what is wrong
    if key is not None and (kept := _LOADED.get(key)) is not None:
        return kept
    manifest = _read_manifest(path)
    if key is not None:
        _LOADED[key] = manifest
    return manifest


_LOADED: dict[tuple[object, ...], Manifest] = {}
_TITLE_PATTERN_GONE = ("'series.title_pattern' is no longer read: a word in a title recognises no series; name it by "
                       "'authors' with 'covers' or 'titles', or by 'msgids' (docs/manifest.md)")


def _read_manifest(path: Path) -> Manifest:
    text, data = load_toml(path)
    locate = key_locator(text, str(path), 1, text.count("\n") + 1)
    if isinstance(data.get("series"), dict) and "title_pattern" in data["series"]:
        # Read and ignored since recognition went by identity (harness.seriesid): a key doing nothing misleads.
        raise InputError(locate("series.title_pattern"), _TITLE_PATTERN_GONE)
    spec = read_spec(ManifestFile, data, locate)
    head = spec.series
    variants = tuple(_variant(v, path, text, head.msgids, n) for n, v in enumerate(spec.variant))
    names = [v.name for v in variants]
    for v in variants:
        if names.count(v.name) > 1:
            raise InputError(v.where, f"variant name {v.name} declared twice")
    return Manifest(path=path, name=head.name or path.parent.name, title=head.title, cover_msgids=head.msgids,
                    variants=variants, authors=head.authors, covers=head.covers,
                    titles=head.titles)


def bundled_manifests() -> list[Path]:
    return sorted(BUNDLED.glob("*/manifest.toml"))


def find_manifest(series: Series, explicit: Path | None = None) -> Manifest | None:
    """The manifest named on the command line, else the bundled one that matches the series."""
    if explicit is not None:
        return load_manifest(explicit)
    for path in bundled_manifests():
        manifest = load_manifest(path)
        if manifest.matches(series):
            return manifest
    return None
