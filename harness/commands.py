"""What each command does between its options and its exit: checks, request, run, output (harness.cli parses)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from harness.atomic import OutputKind, write_stdout
from harness.console import err, out, with_progress
from harness.console import progress as _progress
from harness.console import show as _show
from harness.errors import SeamError
from harness.options import (
    check_choice,
    check_fetching,
    check_needs,
    check_option_files,
    check_out_dir,
    check_variants,
    outcome_folder,
    resolve_outputs,
    thread_max_age,
)
from harness.process import ExitStatus, Finished
from reports.safe import clean, one_line

if TYPE_CHECKING:
    from harness.model import Series


def reading(lore: str, offline: bool, cache_dir: Path | None, max_age: int | None) -> dict[str, Any]:
    """The keywords every request takes for reading its inputs (harness.pipeline.SeriesRequest's)."""
    return {"lore": lore, "offline": offline, "thread_cache": cache_dir, "cache_max_age": thread_max_age(max_age)}


def series_request(paths: list[str], lore: str, offline: bool, cache_dir: Path | None, max_age: int | None,
                   **more: Any) -> Any:
    from harness.pipeline import SeriesRequest

    return SeriesRequest(tuple(paths), **reading(lore, offline, cache_dir, max_age), **more)


def run_series(paths: list[str], json_out: bool, lore: str, offline: bool, cache_dir: Path | None,
               manifest: Path | None, cache_max_age: int | None) -> Finished:
    """``seamharness series``: the series as a tree, or as JSON on stdout."""
    from harness.manifest import Skip
    from harness.pipeline import read_inputs
    from harness.replyvariants import unbuildable, variant_names
    from reports.series_view import series_to_dict, series_tree

    check_fetching(lore, offline, max_age=cache_max_age)
    check_option_files([("--manifest", manifest)])
    s = read_inputs(series_request(paths, lore, offline, cache_dir, cache_max_age), _progress)
    names = variant_names(s, manifest)
    if json_out:
        write_stdout((json.dumps(series_to_dict(s, names), indent=2) + "\n").encode("utf-8"))
    else:
        _show(series_tree(s, names))
    return Finished(s, skipped=[Skip(name, why) for name, why in unbuildable(s, manifest)])


def run_fetch(msgid: str, out_file: Path | None, lore: str, offline: bool, cache_dir: Path | None) -> None:
    """``seamharness fetch``: download the thread; print where it is (on stderr when the mbox went to stdout)."""
    from harness.lore import FetchRequest, as_msgid, fetch_thread, inbox_of, server_of

    check_fetching(lore, offline)
    target = resolve_outputs([("--out", out_file)]).get("--out")
    mid = as_msgid(msgid, paths=False)  # fetch takes no file: "a/b@c" is an id, as b4 takes it
    if mid is None:
        raise SeamError(None, f"not a Message-ID: {msgid!r}")
    path = fetch_thread(FetchRequest(mid, server_of(msgid) or lore, cache_dir, offline, out_file, refresh=True,
                                     stale_ok=False, inbox=inbox_of(msgid, lore)), _progress).path
    (err() if target is not None and target.kind is OutputKind.STDOUT else out()).print(str(path), markup=False,
                                                                                     soft_wrap=True)


def run_apply(paths: list[str], variant: str, out_dir: Path, tree: Path | None, base: str | None,
              manifest: Path | None, lore: str, offline: bool, cache_dir: Path | None,
              cache_max_age: int | None, reject: bool = False) -> Finished:
    """``seamharness apply``: write the variant's files, print their paths. A patch that does not apply, or an input
    not read, is bad input: one line, nothing written (git am stops there too); with ``reject`` the files are written
    all the same, a .rej beside each unusable one, and the status is FAILED (as git apply --reject)."""
    from harness.emptyvariant import refuse_empty
    from harness.export import apply_notes, git_refusals, not_applied, replaced_note, series_hunks, write_variant
    from harness.pipeline import build_variants, read_inputs
    from harness.variantchoices import newest

    check_fetching(lore, offline, tree, base, cache_max_age)
    check_option_files([("--manifest", manifest)])
    folder = check_out_dir(out_dir)
    req = series_request(paths, lore, offline, cache_dir, cache_max_age, tree=tree, base=base, manifest=manifest)
    s = read_inputs(req, _progress)
    if s.skipped and not reject:
        raise _not_read(s)
    variant = newest(variant, s)  # 'newest' is the vN the mail holds
    v = build_variants(req, s, (variant,)).get(variant)
    refuse_empty(s, v, "apply")
    notes, broken = apply_notes(v, s)
    refused = git_refusals(v, broken)
    if not reject and refused:
        raise not_applied(v, s, refused)
    replaced = replaced_note(folder)  # said once it is done: the folder held an earlier output, now gone
    for path in write_variant(v, folder, series_hunks(s)):
        out().print(clean(str(path)), markup=False, soft_wrap=True)
    # stdout lists the variant's files (for xargs and scripts); where each came from is said apart, as eval's reports.
    wrote = f"wrote {out_dir / 'provenance.json'} (the patches applied, their messages, each file's blob id)"
    for line in [*notes, *([replaced] if replaced else []), wrote]:
        err().print(one_line(f"seamharness: {line}"), markup=False, soft_wrap=True)
    return Finished(s, ExitStatus.FAILED if broken or refused else ExitStatus.OK)


def _not_read(s: Series) -> SeamError:
    """An input ``apply`` could not read (a malformed mail, a patch skipped): its own line, nothing written (the
    variant may lack the patch it held)."""
    first, more = s.skipped[0], len(s.skipped) - 1
    also = f"; {more} more input{'s' * (more > 1)} not read" if more else ""
    return SeamError(first.where, f"{first.reason} (not read){also}; nothing written (--reject writes the variant "
                                  "of what was read)")


def run_eval(paths: list[str], variant: list[str] | None, against: str | None, matrix: Path | None,
             matrix_add: list[Path] | None, tree: Path | None, base: str | None, manifest: Path | None,
             html: Path | None, json_file: Path | None, rules: Path | None, crosscheck: bool, cc: str | None,
             json_layout: str | None, jobs: int, time_budget: float, step_budget: int, lore: str, offline: bool,
             cache_dir: Path | None,
             no_cache: bool, cache_max_age: int | None) -> Finished:
    """``seamharness eval``: every variant through the matrix, the reports written and summed up; an identical
    earlier run's results replayed (harness.runcache), decided before the pipeline is loaded."""
    params = dict(locals())  # every option: the key of a kept run (harness.runcache)
    from harness.runcache import cached_run

    check_fetching(lore, offline, tree, base, cache_max_age)
    check_variants(variant or (), against)
    layout = check_choice("--json-layout", json_layout or "auto", ("auto", "rows", "by-variant"))
    check_needs([("--cc", cc is not None, "--crosscheck", crosscheck),
                 ("--json-layout", json_layout is not None, "--json", json_file is not None)])
    check_option_files([("--matrix", matrix), *_each("--matrix-add", matrix_add), ("--rules", rules),
                        ("--manifest", manifest)])
    outputs = resolve_outputs([("--json", json_file), ("--html", html)],
                              [*paths, matrix, *_added(matrix_add), rules, manifest])

    def run() -> tuple[Finished, bool]:
        from harness.heldwrites import defer_writes
        from harness.pipeline import EvalRequest, evaluate
        from harness.runshown import page_here, show_eval
        from reports.formats import renderers_ahead

        defer_writes()  # the outcome cache's entries written beside the report, once the verdicts are in
        req = EvalRequest(tuple(paths), **reading(lore, offline, cache_dir, cache_max_age), tree=tree, base=base,
                          manifest=manifest, matrix=matrix, matrix_add=_added(matrix_add), rules=rules, jobs=jobs,
                          cache=outcome_folder(no_cache), variants=tuple(variant or ()), against=against,
                          crosscheck=crosscheck, cc=cc, time_budget=time_budget, step_budget=step_budget)
        # The page's modules loaded ahead only where this process renders it: a forked child making it beside the
        # JSON loads them itself, and this process, whose level as the report is written is the run's peak memory,
        # never holds them (jinja2: 1.9 MB).
        ahead = renderers_ahead(page_here(outputs, jobs))
        ev = with_progress(lambda track: evaluate(req, track("running scenarios"), _progress, ahead))
        show_eval(ev, outputs, layout, json_file is not None)
        return Finished(ev.series, ExitStatus.OK, ev.variants.skipped), ev.result.executed == 0  # all read
    return cached_run("eval", params, outputs, run)


def run_gate(paths: list[str], variant: str | None, rules: Path | None, junit: Path | None, json_file: Path | None,
             matrix: Path | None, matrix_add: list[Path] | None, tree: Path | None, base: str | None,
             manifest: Path | None, jobs: int, time_budget: float, step_budget: int, lore: str, offline: bool,
             cache_dir: Path | None,
             no_cache: bool, cache_max_age: int | None, allow_inconclusive: bool) -> Finished:
    """``seamharness gate``: the variant judged, the reports written; FAILED is the verdict's. An identical earlier
    run's results replayed (harness.runcache: a CI rerun), decided before the pipeline is loaded."""
    params = dict(locals())  # every option: the key of a kept run
    from harness.runcache import cached_run

    check_fetching(lore, offline, tree, base, cache_max_age)
    check_option_files([("--matrix", matrix), *_each("--matrix-add", matrix_add), ("--rules", rules),
                        ("--manifest", manifest)])
    if variant is None:
        _no_variant(paths, lore, offline, cache_dir, cache_max_age, manifest)
    judged = variant  # a str from here on (the closure below is not narrowed)
    outputs = resolve_outputs([("--junit", junit), ("--json", json_file)],
                              [*paths, matrix, *_added(matrix_add), rules, manifest])

    def run() -> tuple[Finished, bool]:
        from harness.gate import GateRequest, evaluate_gate
        from harness.heldwrites import defer_writes
        from harness.runshown import show_gate

        defer_writes()  # as eval's
        req = GateRequest(tuple(paths), judged, **reading(lore, offline, cache_dir, cache_max_age), tree=tree,
                          base=base, manifest=manifest, matrix=matrix, matrix_add=_added(matrix_add), rules=rules,
                          jobs=jobs, cache=outcome_folder(no_cache), time_budget=time_budget, step_budget=step_budget,
                          allow_inconclusive=allow_inconclusive)
        g = with_progress(lambda track: evaluate_gate(req, track("running scenarios"), _progress))
        show_gate(g, outputs)
        # Whether code ran is told by harness.pipeline.run_variants (an audit event harness.auditlog reads).
        return Finished(g.series, ExitStatus.FAILED if g.exit_status else ExitStatus.OK, g.skipped), True
    return cached_run("gate", params, outputs, run)


def _no_variant(paths: list[str], lore: str, offline: bool, cache_dir: Path | None, max_age: int | None,
                manifest: Path | None) -> NoReturn:
    """gate without --variant: the one error names the variants the input builds, read as ``series`` reads them
    (click's own 'missing option' named none, and the user had to run series to find one), then ``newest`` and
    the revision it is here (harness.variantchoices.newest)."""
    from harness.errors import UsageError
    from harness.pipeline import read_inputs
    from harness.replyvariants import variant_names
    from harness.variantchoices import NEWEST_ALIAS, choices, newest, offer_newest

    s = read_inputs(series_request(paths, lore, offline, cache_dir, max_age), _progress)
    said = choices(variant_names(s, manifest))
    top = newest(NEWEST_ALIAS, s)  # itself where no revision has a patch: then it names nothing to offer
    also = offer_newest(top if top != NEWEST_ALIAS else None)
    raise UsageError(None, f"missing option '--variant': the variant to judge, one of {said}{also}")


def run_crosscheck(paths: list[str], variant: list[str] | None, cc: str | None, matrix: Path | None,
                   matrix_add: list[Path] | None, tree: Path | None, base: str | None, manifest: Path | None,
                   timeout: float, jobs: int, time_budget: float, step_budget: int, lore: str, offline: bool,
                   cache_dir: Path | None,
                   no_cache: bool, cache_max_age: int | None, source: str) -> Finished:
    """``seamharness crosscheck``: the mirror's outcomes against the natively built code's; FAILED on a
    disagreement or when nothing was compared."""
    from harness.crosspipeline import CrossRequest, cross_check
    from harness.crossraw import SOURCES
    from harness.runshown import show_crosscheck

    check_fetching(lore, offline, tree, base, cache_max_age)
    check_variants(variant or ())
    check_choice("--source", source, SOURCES)
    check_option_files([("--matrix", matrix), *_each("--matrix-add", matrix_add), ("--manifest", manifest)])
    req = CrossRequest(tuple(paths), **reading(lore, offline, cache_dir, cache_max_age), tree=tree, base=base,
                       manifest=manifest, matrix=matrix, matrix_add=_added(matrix_add), jobs=jobs,
                       cache=outcome_folder(no_cache), variants=tuple(variant or ()), cc=cc, timeout=timeout,
                       time_budget=time_budget, step_budget=step_budget, source=source)
    found = with_progress(lambda track: cross_check(req, track("running scenarios"), _progress,
                                                     lambda: track("compiling and running natively (variants)")))
    show_crosscheck(found)
    return Finished(found.series, ExitStatus.FAILED if found.result.exit_status else ExitStatus.OK, found.skipped)


def _added(matrix_add: list[Path] | None) -> tuple[Path, ...]:
    """Each --matrix-add file once, in the order given (the same file twice adds its scripts once)."""
    return tuple(dict.fromkeys(Path(p) for p in matrix_add or ()))  # click hands a list option's values as str


def _each(option: str, paths: list[Path] | None) -> list[tuple[str, Path | None]]:
    """(option, path) of each file a repeatable option names, for check_option_files."""
    return [(option, Path(p)) for p in paths or ()]


def print_prelude() -> None:
    """``seamharness prelude``: the prelude's lines, numbered."""
    from models.prelude import prelude_text

    for n, line in enumerate(prelude_text().splitlines(), start=1):
        out().print(f"{n:4d}  {line}", markup=False, soft_wrap=True)


def print_cache(prune: bool, clear: bool, cache_dir: Path | None) -> None:
    """``seamharness cache``: the outcome cache's lines and the fetched threads'."""
    from harness.cachereport import cache_report

    for line in cache_report(prune, clear, cache_dir):
        out().print(clean(line), markup=False, soft_wrap=True)
