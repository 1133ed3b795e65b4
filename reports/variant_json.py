"""The eval report's variants as JSON: tables once, each variant as what it adds to an earlier one.

Each patch, mail, file state and definition once in a table, each variant as the earlier variant it extends plus what it
adds (docs/json-schema.md, *Reading a variant*).
"""

from __future__ import annotations

from bisect import bisect_left
from difflib import SequenceMatcher
from typing import Any

from harness.filestate import FileState
from harness.lineage import Lineage
from harness.reportview import EvalReport, VariantView


class _Tables:
    """The report's ``patches``, ``mails`` and ``file_states`` tables, filled as the variants name their entries."""

    def __init__(self) -> None:
        self.patches: dict[str, int] = {}
        self.mails: dict[tuple[str, str], int] = {}
        self.states: list[dict[str, Any]] = []
        self.by_value: dict[tuple[object, ...], int] = {}
        self.by_id: dict[int, int] = {}  # id of a FileState (alive in its variants) -> its index: no rehashing
        self.definitions: dict[tuple[str, str, str], int] = {}
        self.uses: dict[str, list[int]] = {}  # a variant written -> its definitions, as indexes into definitions
        # Each distinct assumption once (schema 8): every variant of a revision assumes the same pr_fmt, the
        # corpus' 26 variants wrote 7 sentences 12 KB over.
        self.assumptions: dict[str, int] = {}

    def patch(self, label: str) -> int:
        return self.patches.setdefault(label, len(self.patches))

    def mail(self, sender: tuple[str, str]) -> int:
        return self.mails.setdefault(sender, len(self.mails))

    def uses_of(self, view: VariantView) -> list[int]:
        """The indexes of ``view``'s definitions in the ``definitions`` table, each new one put in it."""
        return [self.definitions.setdefault((d.name, d.kind, d.where), len(self.definitions))
                for d in view.definitions]

    def known(self, f: FileState) -> int:
        """The index of a state already in the table (one of an earlier variant's files)."""
        n = self.by_id.get(id(f))
        return n if n is not None else self.by_value[(f.path, f.complete, f.usable, f.blob, f.provenance)]

    def state(self, f: FileState, before: int | None) -> int:
        """The index of ``f``'s entry; a new one names ``before`` (the same path's entry in the variant extended)
        as ``after`` when its provenance begins f's, and lists only the provenance it adds."""
        n = self.by_id.get(id(f))
        if n is not None:
            return n
        key = (f.path, f.complete, f.usable, f.blob, f.provenance)
        n = self.by_value.get(key)
        if n is None:
            n = self.by_value[key] = len(self.states)
            prov = list(f.provenance)
            after = None
            if before is not None:
                old = self.states[before]["_full"]
                if len(old) <= len(prov) and tuple(prov[: len(old)]) == old:
                    after, prov = before, prov[len(old):]
            self.states.append({"path": f.path, "complete": f.complete, "usable": f.usable, "blob": f.blob,
                                "after": after, "provenance": prov, "_full": f.provenance})
        self.by_id[id(f)] = n
        return n


def _at(files: tuple[FileState, ...], path: str) -> FileState | None:
    """The state of ``path`` among a variant's files (sorted by path, as variants hold them)."""
    i = bisect_left(files, path, key=lambda f: f.path)
    return files[i] if i < len(files) and files[i].path == path else None


def _variant(view: VariantView, line: Lineage, extended: VariantView | None, tables: _Tables) -> dict[str, Any]:
    v = view.variant
    files = []
    for f in line.files:
        old = _at(extended.variant.files, f.path) if extended is not None else None
        files.append(tables.state(f, tables.known(old) if old is not None else None))
    return {
        "name": v.name,
        "description": v.description,
        "revision": v.revision,
        "prefix": v.prefix,
        "start": v.start,
        "base": v.base,
        "extends": line.extends,
        "adds": {"applied": [tables.patch(x) for x in line.applied],
                 "messages": [tables.mail(s) for s in line.sources],
                 "findings": [str(f) for f in line.findings],
                 "files": files},
        "files_gone": list(line.gone),
        "definition_edits": _edits(tables.uses[extended.variant.name] if extended is not None else [],
                                   tables.uses.setdefault(v.name, tables.uses_of(view))),
        "assumptions": [tables.assumptions.setdefault(a, len(tables.assumptions)) for a in view.assumptions],
        "untested": list(view.untested),
    }


def _edits(before: list[int], after: list[int]) -> list[list[Any]]:
    """``after`` as edits of ``before``: ``[at, remove, add]`` puts ``add`` for the ``remove`` entries from index
    ``at`` of ``before``; in increasing ``at``, none overlapping. A variant's definitions as the extended variant's
    edited: the same list written whole in every prefix grew with the square of the patches."""
    ops = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return [[i1, i2 - i1, after[j1:j2]] for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def variant_tables(rep: EvalReport) -> dict[str, Any]:
    """``variants`` and the tables they index: ``patches`` (each entry of a variant's applied list once),
    ``mails`` (``msgid``, ``author``), ``file_states``, ``definitions``, ``assumptions``; keys in the report's
    order."""
    tables = _Tables()
    named: dict[str, VariantView] = {}
    variants = []
    for view, line in zip(rep.variants, rep.lineage, strict=True):
        variants.append(_variant(view, line, named[line.extends] if line.extends is not None else None, tables))
        named.setdefault(view.variant.name, view)
    for entry in tables.states:
        del entry["_full"]
    return {"patches": list(tables.patches),
            "mails": [{"msgid": m, "author": a} for m, a in tables.mails],
            "file_states": tables.states,
            "definitions": [_definition(d) for d in tables.definitions],
            "assumptions": list(tables.assumptions),
            "variants": variants}


def _definition(key: tuple[str, str, str]) -> dict[str, str]:
    name, kind, where = key
    return {"name": name, "kind": kind, "where": where}
