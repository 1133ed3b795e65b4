"""The seamharness command line: build a request, call the library, render; errors exit 2 here."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click import _textwrap
from typer._click.exceptions import BadParameter, ClickException, NoSuchOption, UsageError
from typer._coercion import RuntimeParam
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from harness import __version__, commands, optionhelp
from harness.budgets import STEP_BUDGET, TIME_BUDGET
from harness.console import err, out, print_printk, print_usage, say_lost, say_skipped
from harness.errors import SeamError, small_start
from harness.lore import DEFAULT_LORE
from harness.options import (
    check_exclusive,
    check_once,
    command_hint,
    did_you_mean,
    file_value,
    near_names,
    number_in_range,
)
from harness.process import ExitStatus, Finished, failure
from models.record import record
from reports.safe import one_line


@record
class _Plain(RuntimeParam):
    """Coercion of the few types seamharness's options use (str, Path, int, float, bool), without the
    pydantic TypeAdapter typer builds by default: importing pydantic costs a third of a command's start."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [self._one(v, param, ctx) for v in value]
        return self._one(value, param, ctx)

    def _one(self, value: Any, param: Any, ctx: Any) -> Any:
        kind = self.annotation if isinstance(self.annotation, type) else str
        if kind is bool or not isinstance(value, str):
            return value
        try:
            if kind is Path and not value:  # Path("") is ".": --tree "$UNSET" read the working folder as the tree
                raise ValueError("an empty path: give a file or folder")
            if self.parameter_info.metavar == "FILE":  # before Path() drops a trailing '/'
                file_value(value)
            return number_in_range(value, kind, self.parameter_info.min, self.parameter_info.max)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx, param) from None


class _Argument(TyperArgument):
    """An argument whose help shows its metavar (``INPUT``), not the Python type (``<list[str]>``), and whose usage
    line writes a required one as click does (``INPUT...``; typer's ``{INPUT}...`` reads as a set of choices)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    def get_runtime_param(self) -> RuntimeParam:
        return _Plain(self.type_descriptor.parameter_info, self.type_descriptor.annotation)


class _Option(TyperOption):
    """An option whose help shows its metavar (``FILE``, ``N``), nothing for a flag, and no range (the help says)."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None if self.is_flag else self.metavar

    def _get_number_range_help_str(self) -> str | None:
        return None

    def get_error_hint(self) -> str:
        """An error names the option by its long name ('--jobs'), not every spelling ('--jobs' / '-j')."""
        return repr(next((o for o in self.opts if o.startswith("--")), self.opts[0]))

    def get_runtime_param(self) -> RuntimeParam:
        return _Plain(self.type_descriptor.parameter_info, self.type_descriptor.annotation)


class _SpacesOnly(_textwrap.TextWrapper):
    """click's wrapper of --help text (formatting.wrap_text imports it as it wraps), breaking lines at spaces only:
    at a hyphen it cut an option's name in two ("--cache-" / "max-age")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "break_on_hyphens": False})


_textwrap.TextWrapper = _SpacesOnly  # type: ignore[misc]


def _readable(params: list[Any]) -> None:
    # typer builds its own parameter objects; their class is swapped for ours, which only change --help.
    for p in params:
        if isinstance(p, TyperArgument):
            p.__class__ = _Argument
        elif isinstance(p, TyperOption):
            p.__class__ = _Option


class _ReadableHelp:
    """Commands and the top level alike: their parameters and --help show readable metavars."""

    params: list[Any]
    get_params: Callable[[Any], list[Any]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _readable(self.params)

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        _readable([opt])
        if opt is not None:  # worded as every other option's help ("print the version and exit"), not click's
            opt.help = "show this message and exit"
        return opt

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except NoSuchOption as exc:  # click offers any option within 0.6 of the whole "--name": --bogus got --base
            known = _long(self, ctx)
            near = near_names(exc.option_name, known) if exc.option_name.startswith("--") else []
            raise NoSuchOption(exc.option_name, exc.message + did_you_mean(near), ctx=exc.ctx) from None


def _long(cmd: Any, ctx: Any) -> list[str]:
    return [o for p in cmd.get_params(ctx) for o in (*p.opts, *p.secondary_opts) if o.startswith("--")]


class _Command(_ReadableHelp, TyperCommand):
    """A command whose parameters show readable metavars in --help, each single-value option given once."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        valued = [p for p in self.params if isinstance(p, TyperOption) and not p.is_flag and not p.count]
        check_once(args, [p.opts for p in valued if not p.multiple], [n for p in valued for n in p.opts])
        return super().parse_args(ctx, args)


class _Group(_ReadableHelp, TyperGroup):
    """The top level, with readable --help as its commands, and a misspelt command's suggestions as an option's."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as exc:  # 'seamharness --jobs 2 eval x': the commands' option, given before the command
            owners = [name for name, cmd in self.commands.items()
                      if any(exc.option_name in (*p.opts, *p.secondary_opts) for p in cmd.params)]
            if not owners:
                raise
            which = ", ".join(owners[:-1]) + f" and {owners[-1]}" if len(owners) > 1 else owners[0]
            raise NoSuchOption(exc.option_name, f"{exc.message} (an option of {which}: it goes after the command "
                                                f"name, 'seamharness {owners[0]} ... {exc.option_name}')",
                               ctx=exc.ctx) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            if args and exc.message.startswith("No such command"):
                shown = [name for name, cmd in self.commands.items() if not cmd.hidden]  # as --help lists them
                exc.message = f"No such command {args[0]!r}{command_hint(args[0], shown, _long(self, ctx))}"
            raise


app = typer.Typer(
    name="seamharness",
    help="Review and regression harness for the kernel's SEAMCALL helper patches.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # click's plain help: no rich.markdown (30 ms) for --help; git-like text
    context_settings={"max_content_width": 100, "help_option_names": ["-h", "--help"]},  # -h as most tools take it
    cls=_Group,
    suggest_commands=False,  # _Group suggests, as for options
)
F = TypeVar("F", bound=Callable[..., Any])
command = partial(app.command, cls=_Command)

Paths = Annotated[list[str], typer.Argument(metavar="INPUT",
                                            help="mbox/.eml files, directories, Message-IDs or lore URLs")]
Lore = Annotated[str, typer.Option("--lore", metavar="URL", show_default=False,
                                   help=f"lore server for Message-IDs (default: {DEFAULT_LORE})")]
Offline = Annotated[bool, typer.Option("--offline", help="never touch the network; use fetched threads only")]
Cache = Annotated[Path | None, typer.Option("--cache-dir", metavar="DIR", help=optionhelp.CACHE_DIR)]
NoCache = Annotated[bool, typer.Option("--no-cache", help="run every scenario, ignoring the outcome cache")]
MaxAge = Annotated[int | None, typer.Option("--cache-max-age", metavar="MINUTES", min=0, help=optionhelp.MAX_AGE)]


def handled(func: F) -> F:
    """Turn what a command raises into one line on stderr and its exit status (harness.process.failure)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, ClickException):
            raise  # exits and usage errors are handled where they are decided
        except (Exception, KeyboardInterrupt) as exc:
            line, status = failure(exc)
            if status is ExitStatus.INTERNAL and os.environ.get("SEAMHARNESS_TRACEBACK"):
                raise  # a bug, with its traceback on request
            if line:
                err().print(line, markup=False)
            raise typer.Exit(status) from None
        finally:  # a caller in the same process (a test's CliRunner) keeps no git reading the tree
            if (gitrepo := sys.modules.get("harness.gitrepo")) is not None:  # loaded only when a tree was read
                gitrepo.release_repos()

    return wrapper  # type: ignore[return-value]


def _show_version(value: bool) -> None:
    if value:
        out().print(f"seamharness {__version__}", markup=False)
        raise typer.Exit(ExitStatus.OK)


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version,
                                                help="print the version and exit")] = False) -> None:
    """Review and regression harness for the kernel's SEAMCALL helper patches."""


def _finish(done: Finished) -> None:
    """Say what was skipped (harness.console.say_skipped), then exit: 2 when an input was not read."""
    raise typer.Exit(ExitStatus.BAD_INPUT if say_skipped(done.series, done.skipped) else done.status)


ManifestOpt = Annotated[Path | None, typer.Option("--manifest", metavar="FILE", help=optionhelp.MANIFEST)]


@command(short_help="List revisions, patches, replies and variants.")
@handled
def series(paths: Paths, json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
           lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None,
           manifest: ManifestOpt = None, cache_max_age: MaxAge = None) -> None:
    """List revisions, patches, replies, proposals and the variants that can be built.

    Exit status: 0 when every input was read; 2 on bad input (an input not read: the rest is listed, the input named
    on stderr; a bad option); 3 on a bug in seamharness itself."""
    _finish(commands.run_series(**locals()))  # each run_ takes the command's parameters by name


@command(short_help="Download a lore thread into the cache.")
@handled
def fetch(msgid: Annotated[str, typer.Argument(metavar="MSGID",
                                               help="Message-ID or lore URL of any message in the thread")],
          out_file: Annotated[Path | None, typer.Option("--out", metavar="FILE",
                                                        help="copy the thread here, gzipped as lore sends it "
                                                             "where FILE ends '.gz' or is '-', else as the mbox git "
                                                             f"am reads ({optionhelp.TO_STDOUT})")] = None,
          lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None) -> None:
    """Download a thread from lore into the cache (and copy it to --out); print where it is.

    Exit status: 0 when the thread was downloaded; 2 when it was not (not a Message-ID, lore not reachable or not
    holding it, a bad option); 3 on a bug in seamharness itself."""
    commands.run_fetch(**locals())


Tree = Annotated[Path | None, typer.Option("--tree", metavar="DIR", help=optionhelp.TREE)]
Base = Annotated[str | None, typer.Option("--base", metavar="COMMIT", help=optionhelp.BASE)]


@command(short_help="Write one variant's files and their provenance.")
@handled
def apply(paths: Paths,
          variant: Annotated[str, typer.Option("--variant", metavar="NAME", help=optionhelp.APPLY_VARIANT)],
          out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help=optionhelp.OUT_DIR)],
          tree: Tree = None, base: Base = None, manifest: ManifestOpt = None,
          lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None,
          cache_max_age: MaxAge = None,
          reject: Annotated[bool, typer.Option("--reject", help=optionhelp.REJECT)] = False) -> None:
    """Write one variant's files (full, or marked fragments) and provenance.json.

    Exit status: 0 when every file was written usable; 1 when one is unusable, each named on stderr, why in
    provenance.json (a file git am writes that the mirror cannot use: a symlink or Git LFS pointer named .c/.h, a
    result that is not its index line's blob; with --reject also a patch that does not apply); 2 on bad input (a
    patch that does not apply, an input not read, an unknown variant, a bad option: one line, nothing written); 3 on
    a bug in seamharness itself."""
    _finish(commands.run_apply(**locals()))


Variants = Annotated[list[str] | None, typer.Option("--variant", metavar="NAME", help=optionhelp.VARIANTS)]
MatrixOpt = Annotated[Path | None, typer.Option("--matrix", metavar="FILE", help=optionhelp.MATRIX)]
MatrixAdd = Annotated[list[Path] | None, typer.Option("--matrix-add", metavar="FILE", help=optionhelp.MATRIX_ADD)]
RulesOpt = Annotated[Path | None, typer.Option("--rules", metavar="FILE", help=optionhelp.RULES)]
JsonLayout = Annotated[str | None, typer.Option("--json-layout", metavar="LAYOUT", help=optionhelp.JSON_LAYOUT)]
Jobs = Annotated[int, typer.Option("--jobs", "-j", metavar="N", min=0, show_default=False, help=optionhelp.JOBS)]
TimeBudget = Annotated[float, typer.Option("--time-budget", metavar="SECONDS", min=0, show_default=False,
                                           help=optionhelp.TIME_BUDGET_HELP)]
StepBudget = Annotated[int, typer.Option("--step-budget", metavar="STEPS", min=0, show_default=False,
                                         help=optionhelp.STEP_BUDGET_HELP)]


@command(name="eval", short_help="Run the behaviour matrix over the variants.")
@handled
def eval_cmd(paths: Paths, variant: Variants = None,
             against: Annotated[str | None, typer.Option("--against", metavar="NAME", help=optionhelp.AGAINST)] = None,
             matrix: MatrixOpt = None, matrix_add: MatrixAdd = None, tree: Tree = None, base: Base = None,
             manifest: ManifestOpt = None,
             html: Annotated[Path | None, typer.Option(
                 "--html", metavar="FILE", help=f"write the HTML report here ({optionhelp.TO_STDOUT})")] = None,
             json_file: Annotated[Path | None, typer.Option(
                 "--json", metavar="FILE", help=f"write the JSON report here ({optionhelp.TO_STDOUT})")] = None,
             rules: RulesOpt = None,
             crosscheck: Annotated[bool, typer.Option("--crosscheck", help=optionhelp.CROSSCHECK)] = False,
             cc: Annotated[str | None, typer.Option("--cc", metavar="CC", help=optionhelp.CROSSCHECK_CC)] = None,
             json_layout: JsonLayout = None, jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET,
             step_budget: StepBudget = STEP_BUDGET,
             lore: Lore = DEFAULT_LORE, offline: Offline = False, cache_dir: Cache = None,
             no_cache: NoCache = False, cache_max_age: MaxAge = None) -> None:
    """Run every variant through the behaviour matrix and report what each patch and proposal changes.

    Exit status: 0 when the reports were written, whatever the verdicts in them (seamharness gate's exit status is
    a verdict, eval's is not); 2 on bad input (an input not read: the reports are written of the rest and name it;
    a bad option: nothing is written); 3 on a bug in seamharness itself."""
    _finish(commands.run_eval(**locals()))


@command(short_help="Judge a variant against the review rules.")
@handled
def gate(paths: Paths,
         variant: Annotated[str | None, typer.Option("--variant", metavar="NAME", help=optionhelp.GATE_VARIANT)] = None,
         rules: RulesOpt = None,
         junit: Annotated[Path | None, typer.Option("--junit", metavar="FILE",
                                                    help=f"write JUnit XML here ({optionhelp.TO_STDOUT})")] = None,
         json_file: Annotated[Path | None, typer.Option("--json", metavar="FILE", help=optionhelp.GATE_JSON)] = None,
         matrix: MatrixOpt = None, matrix_add: MatrixAdd = None, tree: Tree = None, base: Base = None,
             manifest: ManifestOpt = None,
         jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET, step_budget: StepBudget = STEP_BUDGET,
         lore: Lore = DEFAULT_LORE, offline: Offline = False,
         cache_dir: Cache = None, no_cache: NoCache = False, cache_max_age: MaxAge = None,
         allow_inconclusive: Annotated[bool, typer.Option("--allow-inconclusive",
                                                          help=optionhelp.ALLOW_INCONCLUSIVE)] = False) -> None:
    """Judge a variant against every review rule.

    Exit status: 0 when no error rule fails or is inconclusive; 1 when one does (--allow-inconclusive makes
    inconclusive a warning), a NAK, request to drop, reported regression or withdrawn review tag of the variant's
    patches stands that no rule judges, or the patches do not build the variant on its base; 2 on bad input (an input
    not read, a bad option, a lore thread past --cache-max-age that cannot be downloaded anew); 3 on a bug in
    seamharness itself, never a verdict."""
    _finish(commands.run_gate(**locals()))


@command(short_help="Check the mirror's outcomes against gcc.")
@handled
def crosscheck(paths: Paths, variant: Variants = None,
               cc: Annotated[str | None, typer.Option("--cc", metavar="CC",
                                                      help="C compiler (default: cc, gcc or clang)")] = None,
               matrix: MatrixOpt = None, matrix_add: MatrixAdd = None, tree: Tree = None, base: Base = None,
             manifest: ManifestOpt = None,
               timeout: Annotated[float, typer.Option(  # a wait past 2**63 ns is an OverflowError in selectors
                   "--timeout", metavar="SECONDS", min=1, max=86400, show_default=False,
                   help=optionhelp.TIMEOUT)] = 30.0,
               jobs: Jobs = 0, time_budget: TimeBudget = TIME_BUDGET, step_budget: StepBudget = STEP_BUDGET,
               lore: Lore = DEFAULT_LORE,
               offline: Offline = False, cache_dir: Cache = None, no_cache: NoCache = False,
               cache_max_age: MaxAge = None,
               source: Annotated[str, typer.Option(
                   "--source", metavar="SOURCE", show_default=False,
                   help=optionhelp.SOURCE)] = "original") -> None:
    """Compile each variant's helpers natively and check every outcome against the mirror.

    Exit status: 0 when every outcome compared agrees; 1 when one disagrees, or nothing at all was compared (no
    agreement is claimed of nothing); 2 on bad input (an input not read, a bad option); 3 on a bug in seamharness
    itself."""
    _finish(commands.run_crosscheck(**locals()))


@command(context_settings={"ignore_unknown_options": True},  # "-5" is an argument, not an option
         short_help="Print what the kernel's vsprintf() prints.")
@handled
def printk(fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="a printk format, e.g. '%#016llx'")],
           args: Annotated[list[str] | None, typer.Argument(metavar="ARG",
                                                            help="integers (0x.., -5) or strings")] = None) -> None:
    """Print what the kernel's vsprintf() makes of FORMAT (a C string, escapes included) and ARGs (x86-64).

    Exit status: 0 when it was printed (the warnings the kernel would give are on stderr: they are its output
    too); 2 on bad input (a format or argument the mirror refuses, too few arguments, stdout not writable, a bad
    option); 3 on a bug in seamharness itself."""
    print_printk(fmt, args or [])


@command(short_help="Print the kernel prelude the mirror adds.")
@handled
def prelude() -> None:
    """Print the kernel prelude the mirror adds (types, compiler words, bit macros, errno, SEAM constants).

    Exit status: 0 when it was printed; 2 when stdout is not writable or on a bad option; 3 on a bug in seamharness
    itself."""
    commands.print_prelude()


@command(short_help="Show, prune or clear the outcome cache.")
@handled
def cache(prune: Annotated[bool, typer.Option("--prune", help="remove entries an older mirror wrote")] = False,
          clear: Annotated[bool, typer.Option("--clear", help="remove every entry")] = False,
          cache_dir: Cache = None) -> None:
    """Show the outcome cache (where, how big, how much is stale); prune or clear it. The threads fetched from
    lore (into --cache-dir, if given) are shown too; they are never removed here (--offline reads them).

    Exit status: 0 when it was shown (and pruned or cleared); 2 on bad input (--cache-dir not a folder, --prune
    with --clear, stdout not writable, a bad option); 3 on a bug in seamharness itself."""
    check_exclusive([("--prune", prune), ("--clear", clear)])
    commands.print_cache(prune, clear, cache_dir)


@command(short_help="Print the version.", hidden=True)  # --help lists --version: one way to ask, not two
@handled
def version() -> None:
    """Print the version (as --version).

    Exit status: 0 when it was printed; 2 when stdout is not writable; 3 on a bug in seamharness itself."""
    out().print(f"seamharness {__version__}", soft_wrap=True)


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command the line names, when it names one first: typer builds a click command
    for every registered command (signatures inspected, options made) before it dispatches, 12 ms of the
    14 it spends there; the others cannot be reached from this line. Anything else (--help, --version, a
    misspelt command, which click answers with the names it knows) gets the whole app."""
    from typer.main import get_command_name

    registered = [c for c in app.registered_commands
                  if args and (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == args[0]]
    if not registered:
        return app
    one = copy.copy(app)
    one.registered_commands = registered
    return one


def _as_ours(message: str) -> str:
    """click's own message on one line as seamharness words its own: no capital to start, no full stop to end
    ("Missing option '--variant'." -> "missing option '--variant'"); a name or a quote starting it is kept."""
    return small_start(" ".join(message.split()).removesuffix("."))


def main(argv: list[str] | None = None) -> int:
    """Console entry point: usage errors become one line on stderr and exit status 2, like input errors."""
    from typer.main import get_command

    args = sys.argv[1:] if argv is None else argv
    try:
        code = get_command(_app_for(args)).main(args=args, prog_name="seamharness", standalone_mode=False)
    except typer.TyperException as exc:
        message = exc.format_message()
        if type(exc).__name__ == "NoArgsIsHelpError":
            return print_usage(message)
        err().print(f"seamharness: {_as_ours(message)}", markup=False)
        return ExitStatus.BAD_INPUT
    except typer.Abort:
        err().print("seamharness: interrupted", markup=False)
        return ExitStatus.INTERRUPTED
    except SeamError as exc:  # an eager option's own output refused (--version > /dev/full)
        err().print(f"seamharness: {one_line(str(exc))}", markup=False)
        return ExitStatus.BAD_INPUT
    except OSError as exc:  # click's own help text refused (--help > /dev/full): commands are @handled
        return say_lost(exc)
    return code if isinstance(code, int) else ExitStatus.OK


__all__ = ["app", "main"]
