"""Lines printing the leaf that read a variable set from outside the runs: what they print was seen at one value."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from harness.leafsame import PRINTS, text_place
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext
from models.loader import definitions
from models.slicer import Definition, Kind
from models.wordfind import BOUNDARY, CALL_AFTER, has_name, name_spans

_REACH = 12  # lines a statement spans, either way from the line a site is on, read at most


def unsettled_prints(v: Variant, ctx: CheckContext, entries: Iterable[str]) -> list[str]:
    """Each print of the leaf (models.leafflow's print and WARN() sites) in what ``entries`` reach whose statement
    names a module parameter or a variable code no run executes may set (harness.behaviour.set_outside), itself or
    through a local of its function or a function of the files it calls (_followed): a format held in a pointer an
    unrun setter points at '%llu' (``pr_err(seamldr_fmt, fn)``), a flag picking the conversion. The runs printed
    it with the value it starts with; another, set from outside them, prints otherwise, which gcc's build does
    (lib/vsprintf.c reads the format at run time). Said once per line."""
    from harness.behaviour import set_outside

    facts = ctx.facts(v)
    if isinstance(facts, str):
        return []  # said by unshown_leaf_sites
    outside = ctx.once(("set outside the runs", v.name), lambda: set_outside(v, ctx, facts))
    if not outside:
        return []
    table = definitions(variant_sources(v))
    found: dict[str, None] = {}
    for entry in sorted(entries):
        for function, kind, key in facts.leaf_sites.get(entry, ()):
            path, _, line = text_place(kind, key, facts).rpartition(":") if kind in PRINTS else ("", "", "")
            text = _statement(v, path, int(line)) if line.isdigit() else ""
            text = _followed(text, function, table) if text else ""
            for name, why in sorted(outside.items()):
                if text and has_name(text, name, BOUNDARY, BOUNDARY):
                    found[f"a line printing the leaf in {function}() at {path}:{line} reads {name}, {why}: the "
                          "runs printed it at its initial value"] = None
    return list(found)


def _followed(text: str, function: str, table: Mapping[str, list[Definition]], depth: int = 3) -> str:
    """``text`` (a print's statement in ``function``) with what its names hold there: each store or initializer of a
    local it names in that function ('const char *fmt = seamldr_fmt;'), the definition of each variable of the files
    it names and each store to it in their functions ('ops = &seamldr_ops;', whose member 'ops->fmt' reads), and the
    text of each function of the files it calls ('seamldr_fmt_get()'), followed ``depth`` deep: a format or flag
    handed on, not named."""
    body = next((d.text for d in table.get(function, ()) if d.kind is Kind.FUNCTION), "")
    words = set(re.findall(r"\b[A-Za-z_]\w*\b", text))
    stores = [s for w in sorted(words) if w in body for s in _stores(w, body)]
    held = [t if depth <= 1 else _followed(t, "", table, depth - 1)
            for name in sorted(words - {function}) for t in _held(name, table)]
    calls = [d.text if depth <= 1 else _followed(d.text, name, table, depth - 1)
             for name in sorted(words - {function}) for d in table.get(name, ()) if d.kind is Kind.FUNCTION]
    handed = [t if depth <= 1 else _followed(t, caller, table, depth - 1)
              for caller, t in _handed_in(words - _printed_values(text), function, table)]
    return "\n".join([text, *stores, *held, *calls, *handed])


def _stores(name: str, body: str) -> Iterator[str]:
    """Each store to ``name`` in ``body`` ('name = v', 'name[i] |= v'), to the end of its statement (the matches of
    ``\bNAME`` and _STORE, models.wordfind: no pattern per name)."""
    return (body[start:end] for start, end in name_spans(body, name, BOUNDARY, _STORE))


_STORE = re.compile(r"\s*(?:\[[^\]\n]*\]\s*)?[-+*/%&|^]?=(?!=)[^;]*")  # after the name, to the statement's end


def _held(name: str, table: Mapping[str, list[Definition]]) -> list[str]:
    """Where ``name`` is a variable of the files: its definition (with its initializer) and each store to it in a
    function of theirs."""
    defined = [d.text for d in table.get(name, ()) if d.kind is Kind.VARIABLE]
    if not defined:
        return []
    return defined + [s for ds in table.values() for d in ds
                      if d.kind is Kind.FUNCTION and name in d.text for s in _stores(name, d.text)]


def _printed_values(text: str) -> set[str]:
    """The names ``text``'s first call hands alone after its first argument ('pr_err(o->fmt, fn, err)': fn, err):
    values a format prints, whose callers' arguments choose no conversion (lib/vsprintf.c reads the format for it)."""
    from harness.macroeffects import arguments

    m = re.search(r"\b\w+\s*\(", text)
    return set() if m is None else {a.strip() for a in arguments(text, m.end())[0][1:] if a.strip().isidentifier()}


def _handed_in(words: set[str], function: str, table: Mapping[str, list[Definition]]) -> list[tuple[str, str]]:
    """(caller, text) of what ``function`` is handed for the parameters of it among ``words``: the argument of each
    call of it in a function of the files ('seamldr_print(&seamldr_ops, fn, err)' hands o '&seamldr_ops'); and where
    it is named uncalled ('.print = seamldr_hex' of an ops table, 'ops.print = seamldr_dec;'), the definition or
    statement naming it: a call through a pointer there may run it, or another in its stead."""
    from harness.discover import parameter_names
    from harness.macroeffects import arguments

    mine = next((d for d in table.get(function, ()) if d.kind is Kind.FUNCTION), None)
    params = parameter_names(mine) if mine is not None else []
    used = [i for i, p in enumerate(params) if p in words]
    found: list[tuple[str, str]] = []
    for name, ds in table.items() if mine is not None else ():
        for d in ds:
            if function not in d.text or d is mine:
                continue
            if d.kind is Kind.VARIABLE and _word_spans(d.text, function, BOUNDARY):
                found.append(("", d.text))
            if d.kind is not Kind.FUNCTION:
                continue
            found += [(name, t) for t in _uncalled(d.text, function)]
            for _, end in _word_spans(d.text, function, CALL_AFTER):
                args = arguments(d.text, end)[0]
                found += [(name, args[i]) for i in used if i < len(args)]
    return found


def _statement(v: Variant, path: str, line: int) -> str:
    """The statement the source line ``path:line`` of the variant is part of: back to the line after one ending a
    statement or a block (';', '{', '}'), on to one ending it (';'), _REACH lines each way at most."""
    for src in variant_sources(v):
        for start, piece in src.pieces if src.path == path else ():
            if not start <= line < start + len(piece):
                continue
            at = line - start
            first = at
            while first > 0 and at - first < _REACH and not piece[first - 1].rstrip().endswith((";", "{", "}")):
                first -= 1
            last = at
            while last + 1 < len(piece) and last - at < _REACH and not piece[last].rstrip().endswith(";"):
                last += 1
            return "\n".join(piece[first:last + 1])
    return ""


def _word_spans(text: str, function: str, after: re.Pattern[str]) -> list[tuple[int, int]]:
    """The spans of ``re.finditer(r"\\b" + function + after.pattern, text)``, ``function`` read as a pattern as ever:
    by models.wordfind (no pattern per name) where re.escape leaves it as it is, an identifier."""
    if re.escape(function) == function:
        return list(name_spans(text, function, BOUNDARY, after))
    return [m.span() for m in re.finditer(rf"\b{function}" + after.pattern, text)]


def _uncalled(text: str, function: str) -> list[str]:
    """``re.finditer(rf"[^;{}]*\\b{function}\\b(?!\\s*\\()[^;]*", text)``'s texts: each statement naming the function
    uncalled, from the last ';', '{' or '}' before the name to the next ';' (where finditer resumes: a ';', so the
    last before the next name is that one or a later one). The name's own spans (no pattern per name) end there."""
    if not function or re.escape(function) != function:  # empty matches go by finditer's rules of their own
        return [m.group() for m in re.finditer(rf"[^;{{}}]*\b{function}\b(?!\s*\()[^;]*", text)]
    return [text[max(text.rfind(c, 0, at) for c in ";{}") + 1:end]
            for at, end in name_spans(text, function, BOUNDARY, _UNCALLED)]


_UNCALLED = re.compile(r"\b(?!\s*\()[^;]*")  # after a name: not called, to the statement's end
