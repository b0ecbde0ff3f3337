"""The CLI's conventions, defined once: choices, shared options, verbosity, help and usage errors.

- Choices are ``StrEnum``s, so Click checks them while parsing and ``--help`` lists them.
- Options that several commands take (``--model``, ``--fail-on``, ``--device``, …) are ``Annotated``
  aliases here; a command names the alias, never a second ``typer.Option`` for the same flag.
- ``AlignerGroup`` (the ``cls`` of every Typer app) gives each command ``-v/--verbose`` and
  ``-q/--quiet``, so they work before and after the subcommand, takes ``-h`` as ``--help``
  (``CONTEXT``), and turns every Click usage error into one line on stderr with exit status 2:
  ``aligner check: --lang: 'ja' is not one of 'ko', 'uk' (see aligner check -h)``. It is also the
  one place where exceptions become exit codes: an ``AlignerError`` its own code, anything else an
  internal error (3: one line, the traceback too with ``-v``).
- ``-`` names stdin (inputs) or stdout (``--output``); ``STDIO`` is that name.
- Colour only on a terminal and never with ``NO_COLOR`` set (https://no-color.org).
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any, NoReturn

import typer

# Typer vendors its own trimmed Click (``typer._click``): its errors are these classes, not click's.
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    MissingParameter,
    NoArgsIsHelpError,
    UsageError,
)
from typer._click.globals import get_current_context
from typer.core import TyperGroup

from aligner.batch.options import Backend, Engine
from aligner.errors import REPORT_TO, AlignerError, ExitCode

__all__ = ["Backend", "Engine"]  # the batch's choices, re-exported with the CLI's own below

PROG = "aligner"
EXIT_CODES = (
    "Exit codes: 0 all good; 1 findings at or above --fail-on, or failed units in a batch; "
    "2 bad input, usage or unwritable output (one line on stderr naming the file, nothing written); "
    "3 internal error (a bug: one line, the traceback with -v); 130 interrupted."
)
STDIO = "-"  # as an input path: stdin; as --output: stdout
# -h as --help everywhere; help as wide as the terminal, up to 120 columns.
CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 120}


# --- choices -----------------------------------------------------------------------------------


class Lang(StrEnum):
    """Target languages."""

    ko = "ko"
    uk = "uk"


class QuotesFormat(StrEnum):
    """Output formats of ``aligner quotes``."""

    text = "text"
    json = "json"


class ReportFormat(StrEnum):
    """Formats of a check report."""

    text = "text"
    json = "json"
    html = "html"
    xliff = "xliff"
    tmx = "tmx"


class FailOn(StrEnum):
    """The lowest finding severity that makes the exit status 1."""

    error = "error"
    warning = "warning"
    never = "never"


class Device(StrEnum):
    """Where the model runs."""

    auto = "auto"
    cpu = "cpu"
    cuda = "cuda"


# --- options shared by several commands --------------------------------------------------------

ArticleArg = Annotated[
    Path, typer.Argument(metavar="ARTICLE", help="English article, UTF-8 text; - for stdin.")
]
LangOpt = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the translation.")]
ToOpt = Annotated[list[Lang], typer.Option("--to", "-t", help="Target language; repeat for several.")]
ReportFormatOpt = Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")]
FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 on findings this severe.")]
GlossaryOpt = Annotated[
    Path | None,
    typer.Option(
        "--glossary",
        metavar="FILE",
        help="TSV of fixed name renderings: en, ko, uk columns, variants split by |.",
    ),
]
ModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        "-m",
        metavar="LANG=MODEL",
        help="The en→LANG MarianMT model: a hub id or a folder, e.g. ko=models/tiny/en-ko.",
    ),
]
BackModelOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--back-model",
        metavar="LANG=MODEL",
        help="The LANG→en model (hub id or folder), for back-translation.",
    ),
]
ThresholdsOpt = Annotated[
    Path | None,
    typer.Option(
        "--fidelity-thresholds",
        metavar="FILE",
        help="TOML from bench/calibrate_fidelity.py (else built in).",
    ),
]
DeviceOpt = Annotated[Device, typer.Option("--device", help="Where the model runs.")]
BeamsOpt = Annotated[int, typer.Option("--beams", min=1, metavar="N", help="Beam size.")]
BatchSizeOpt = Annotated[
    int, typer.Option("--batch-size", min=1, metavar="N", help="Sentences per engine batch.")
]
EngineWorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--engine-workers",
        min=1,
        metavar="N",
        help="Processes of the transformers engine, each with its own copy of the model (default: "
        "one per thread on the CPU, at most 4; 1 on a GPU or with batch --workers > 1).",
    ),
]


# --- verbosity ---------------------------------------------------------------------------------


def configure_logging(level: int | None = None) -> None:
    """Send log records to stderr as ``aligner: warning: …`` (once per process), and set the
    ``aligner`` logger to ``level`` when given (``-v``: INFO, ``-q``: ERROR)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LowerLevelFormatter(f"{PROG}: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])  # a no-op once configured
    if level is not None:
        logging.getLogger(PROG).setLevel(level)


class _LowerLevelFormatter(logging.Formatter):
    """``aligner: warning: …`` like the CLI's own messages, not ``aligner: WARNING: …``."""

    def format(self, record: logging.LogRecord) -> str:
        levelname = record.levelname
        record.levelname = levelname.lower()
        try:
            return super().format(record)
        finally:
            record.levelname = levelname


def _verbosity(ctx: typer.Context, param: typer.CallbackParam, value: bool) -> None:
    """Apply ``-v``/``-q`` wherever they were given (a flag left out changes nothing)."""
    if value:
        quiet = param.name == "quiet"
        ctx.meta["aligner.quiet"] = quiet
        configure_logging(logging.ERROR if quiet else logging.INFO)


# The root callback declares these; ``AlignerGroup`` adds the same options to every command.
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", callback=_verbosity, expose_value=False, help="Log details on stderr."),
]
QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", callback=_verbosity, expose_value=False, help="Print errors only."),
]
VERBOSITY = ("verbose", "quiet")


def quiet() -> bool:
    """True when ``-q`` was given (before or after the subcommand)."""
    ctx = get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("aligner.quiet"))


# --- colour ------------------------------------------------------------------------------------


def use_color(stream: IO[str], environ: Mapping[str, str] = os.environ) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set to anything non-empty."""
    return not environ.get("NO_COLOR") and stream.isatty()


def error_line(message: str, *, kind: str = "error", command: str = PROG) -> str:
    """``aligner: error: …`` (``kind`` in red, a warning in yellow, on a terminal without ``NO_COLOR``)."""
    label = f"{kind}:"
    if use_color(sys.stderr):
        label = typer.style(label, fg="yellow" if kind == "warning" else "red", bold=True)
    return f"{command}: {label} {message}"


# --- usage errors ------------------------------------------------------------------------------


def usage_line(error: ClickException) -> str:
    """One line for a Click error: ``aligner check: --lang: 'ja' is not one of 'ko', 'uk' (see …)``."""
    ctx = getattr(error, "ctx", None)
    path = " ".join([PROG, *(ctx.command_path.split()[1:] if ctx else [])])
    message = " ".join(error.format_message().split()).rstrip(".")
    param = getattr(error, "param", None)
    if isinstance(error, BadParameter) and not isinstance(error, MissingParameter) and param:
        name = max(param.opts, key=len) if param.param_type_name == "option" else param.human_readable_name
        # Typer's wordings for a bad choice and a value out of range
        detail = error.message.removeprefix("Value error, ").replace("Input should be ", "must be ")
        message = f"{name}: {detail}".rstrip(".")
    hint = f" (see {path} -h)" if isinstance(error, UsageError) else ""
    return f"{path}: {message}{hint}"


class AlignerGroup(TyperGroup):
    """A Typer group whose commands take ``-v``/``-q`` and whose usage errors are one line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        shared = [p for p in self.params if p.name in VERBOSITY]
        if shared:  # the root: its subgroups were built first, without them
            _share(self, shared)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; a Click usage error becomes one line on stderr and exit status 2."""
        try:
            # Always "aligner": not "python -m aligner", nor a test runner's name, in usage and errors.
            rv = super().main(args, PROG, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:  # a bare ``aligner`` or ``aligner models``: the help
            if not standalone_mode:
                raise
            _exit_with(error.format_message(), error.exit_code)
        except ClickException as error:
            if not standalone_mode:
                raise
            _exit_with(usage_line(error), error.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            _exit_with(f"{PROG}: interrupted", ExitCode.INTERRUPTED)
        except AlignerError as error:
            if not standalone_mode:
                raise
            _exit_with(error_line(str(error)), int(error.exit_code))
        except Exception as error:
            if not standalone_mode:
                raise
            _exit_with(internal_error(error), ExitCode.INTERNAL)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def _share(group: TyperGroup, shared: Sequence[Any]) -> None:
    """Give every command and subgroup under ``group`` the options in ``shared`` it lacks."""
    for command in group.commands.values():
        names = {p.name for p in command.params}
        command.params += [p for p in shared if p.name not in names]
        if isinstance(command, TyperGroup):
            _share(command, shared)


def internal_error(error: Exception) -> str:
    """The one line of an unexpected exception (printed after its traceback under ``-v``)."""
    where = getattr(error, "aligner_file", None) or getattr(error, "filename", None)
    while_reading = f" (while reading {where})" if where else ""
    message = (str(error).strip().splitlines() or [""])[0][:300]
    tail = " — run with -v for the traceback"
    if logging.getLogger(PROG).isEnabledFor(logging.INFO):  # -v
        traceback.print_exception(error, file=sys.stderr)
        tail = ""
    return error_line(
        f"{type(error).__name__}: {message}{while_reading}; please report it to {REPORT_TO}{tail}",
        kind="internal error",
    )


def _exit_with(line: str, code: int) -> NoReturn:
    typer.echo(line, err=True)
    sys.exit(code)
