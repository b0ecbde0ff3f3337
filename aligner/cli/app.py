"""The thin Typer layer: options in, library calls, rendered output, exit codes.

``main`` is the single place where an exception becomes one line on stderr and an exit code
(``ExitCode``): an ``AlignerError`` its own code (2 for bad input or output), anything else 3
(internal error, with the traceback under ``-v``), an interrupt 130. The root command routes every
invocation through it, the console script's and ``CliRunner``'s alike.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from aligner.batch.options import Backend, BatchOptions, Engine
from aligner.errors import REPORT_TO, AlignerError, ExitCode
from aligner.textio import DEFAULT_MAX_BYTES
from aligner.version import __version__

EXIT_CODES = (
    "Exit codes: 0 all good; 1 findings at or above --fail-on, or failed units in a batch; "
    "2 bad input, usage or unwritable output (one line on stderr naming the file, nothing written); "
    "3 internal error (a bug: one line, the traceback with -v); 130 interrupted."
)


class _Root(TyperGroup):
    """The root command: every run, however invoked (console script, ``CliRunner``), goes through ``main``."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        main(
            args,
            prog_name=prog_name,
            complete_var=complete_var,
            windows_expand_args=windows_expand_args,
            **extra,
        )


app = typer.Typer(
    cls=_Root,
    help="Translate English news into Korean and Ukrainian and check that every quotation, "
    "and who said it, survived.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
_verbose = [False]  # set by --verbose; read by main for the traceback of an internal error


class QuotesFormat(StrEnum):
    """Output formats of ``aligner quotes``."""

    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details on stderr.")] = False,
) -> None:
    _verbose[0] = verbose
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="aligner: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def fail(error: AlignerError) -> typer.Exit:
    """Print ``error`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"aligner: error: {error}", err=True)
    return typer.Exit(int(error.exit_code))


MaxBytesOpt = Annotated[
    int,
    typer.Option(
        "--max-bytes", min=0, help="Refuse an article or translation larger than this (bytes; 0: no limit)."
    ),
]
AllowPickleOpt = Annotated[
    bool,
    typer.Option(
        "--allow-pickle",
        help="Load a model folder that has only pytorch_model.bin (pickle, through torch's weights_only "
        "loader); by default only safetensors weights load.",
    ),
]


@app.command()
def quotes(
    article: Annotated[Path, typer.Argument(help="English article, UTF-8 text.")],
    fmt: Annotated[QuotesFormat, typer.Option("--format", "-f", help="Output format.")] = QuotesFormat.text,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """List every quotation of an English article: span, kind, speaker, verb and numbers."""
    from aligner.article.parse import parse_article
    from aligner.errors import while_reading
    from aligner.report.serialize import quotes_json, quotes_text
    from aligner.textio import read_text

    with while_reading(article):
        parsed = parse_article(read_text(article, max_bytes))
    for warning in parsed.warnings:
        typer.echo(f"aligner: warning: {article}: line {warning.line}: {warning.message}", err=True)
    typer.echo(
        quotes_json(parsed, str(article)) if fmt is QuotesFormat.json else quotes_text(parsed), nl=False
    )


class Lang(StrEnum):
    """Target languages."""

    ko = "ko"
    uk = "uk"


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


FailOnOpt = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 on findings this severe.")]
GlossaryOpt = Annotated[
    Path | None,
    typer.Option("--glossary", help="TSV of fixed name renderings: en, ko, uk columns, variants split by |."),
]


ModelOpt = Annotated[
    list[str] | None, typer.Option("--model", "-m", help="LANG=HUB_ID_OR_DIR of the en→LANG MarianMT model.")
]
BackModelOpt = Annotated[
    list[str] | None,
    typer.Option("--back-model", help="LANG=HUB_ID_OR_DIR of the LANG→en model, for back-translation."),
]
ThresholdsOpt = Annotated[
    Path | None,
    typer.Option("--fidelity-thresholds", help="TOML from bench/calibrate_fidelity.py (else built in)."),
]
DeviceOpt = Annotated[Device, typer.Option("--device", help="Where the model runs.")]
EngineWorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--engine-workers",
        min=1,
        help="Processes of the transformers engine, each with its own copy of the model (default: "
        "one per thread on the CPU, at most 4; 1 on a GPU or with batch --workers > 1).",
    ),
]


@app.command()
def check(
    source: Annotated[Path, typer.Argument(help="English article, UTF-8 text.")],
    translation: Annotated[
        Path,
        typer.Argument(
            help="Its Korean or Ukrainian translation, any system: text, or XLIFF/TMX/PO from a CAT tool."
        ),
    ],
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang", "-l", help="Language of the translation (default: the one an XLIFF/TMX/PO file names)."
        ),
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    glossary: GlossaryOpt = None,
    ref: Annotated[Path | None, typer.Option("--ref", help="Reference translation: chrF per quote.")] = None,
    fail_on: FailOnOpt = FailOn.error,
    model: ModelOpt = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
    device: DeviceOpt = Device.auto,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    allow_pickle: AllowPickleOpt = False,
) -> None:
    """Find every source quotation in a translation; report what was altered, dropped or invented.

    With --model (and --back-model) MarianMT also scores the meaning of every quotation.
    """
    from aligner.cli.commands import CheckOptions, ModelOptions, run_check, translation_lang
    from aligner.translate.registry import parse_model_options

    target = translation_lang(translation, lang.value if lang else None)
    forward, back = parse_model_options(model or ()), parse_model_options(back_model or ())
    models = ModelOptions(
        forward.get(target), back.get(target), thresholds, device.value, allow_pickle=allow_pickle
    )
    options = CheckOptions(target, fmt.value, output, glossary, ref, fail_on.value, models, max_bytes)
    raise typer.Exit(run_check(source, translation, options))


@app.command()
def translate(
    articles: Annotated[list[Path], typer.Argument(help="English articles, UTF-8 text.")],
    to: Annotated[list[Lang], typer.Option("--to", "-t", help="Target language; repeat for several.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Check report format.")
    ] = ReportFormat.json,
    model: Annotated[
        list[str] | None, typer.Option("--model", "-m", help="LANG=HUB_ID_OR_DIR, e.g. ko=models/tiny/en-ko.")
    ] = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
    glossary: GlossaryOpt = None,
    device: DeviceOpt = Device.auto,
    beams: Annotated[int, typer.Option("--beams", min=1, help="Beam size.")] = 4,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Sentences per batch.")] = 16,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 on findings this severe.")
    ] = FailOn.error,
    engine_workers: EngineWorkersOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs in --out.")] = False,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    allow_pickle: AllowPickleOpt = False,
) -> None:
    """Translate articles with MarianMT, keeping every quotation and its speaker; check the output."""
    from aligner.cli.commands import TranslateOptions, run_translate

    options = TranslateOptions(
        langs=tuple(dict.fromkeys(lang.value for lang in to)),
        out=out,
        fmt=fmt.value,
        models=tuple(model or ()),
        glossary=glossary,
        device=device.value,
        beams=beams,
        batch_size=batch_size,
        fail_on=fail_on.value,
        back_models=tuple(back_model or ()),
        thresholds=thresholds,
        engine_workers=engine_workers,
        force=force,
        max_bytes=max_bytes,
        allow_pickle=allow_pickle,
    )
    raise typer.Exit(run_translate(articles, options))


@app.command()
def merge(
    review: Annotated[Path, typer.Argument(help="Reviewed XLIFF 1.2 that aligner check/translate wrote.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the target document here.")],
) -> None:
    """Merge a reviewed XLIFF back into the target document (its lines and paragraphs kept)."""
    from aligner.cli.commands import merge as merge_review

    try:
        merge_review(review, output)
    except AlignerError as error:
        raise fail(error) from None


models_app = typer.Typer(help="List and fetch the MarianMT models of the registry.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """List every registry entry: direction, model id, revision, size, licence, published scores."""
    from aligner.cli.commands import models_table

    typer.echo(models_table(), nl=False)


@models_app.command("fetch")
def models_fetch(
    keys: Annotated[list[str], typer.Argument(help="ko, uk, ko-en, uk-en, or an entry name.")],
) -> None:
    """Download models into the Hugging Face cache (HF_HOME), for use offline later."""
    from aligner.cli.commands import fetch

    for key in keys:
        typer.echo(f"{key}: {fetch(key)}")


@app.command()
def batch(
    source: Annotated[Path, typer.Argument(help="Folder of .txt/.md articles, or JSONL of {id, text}.")],
    to: Annotated[list[Lang], typer.Option("--to", "-t", help="Target language; repeat for several.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (new or empty, or --resume).")],
    engine: Annotated[
        Engine, typer.Option(help="Decoding engine (ct2: CTranslate2, int8).")
    ] = Engine.TRANSFORMERS,
    workers: Annotated[int, typer.Option(min=1, help="Processes, each with its own engine.")] = 1,
    resume: Annotated[bool, typer.Option(help="Finish the batch in --out (retries failed units).")] = False,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="LANG=HUB_ID_OR_DIR.")] = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
    glossary: GlossaryOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.json,
    fail_on: FailOnOpt = FailOn.error,
    device: Annotated[Device, typer.Option(help="Where the transformers engine runs.")] = Device.auto,
    beams: Annotated[int, typer.Option(min=1, help="Beam size.")] = 4,
    batch_size: Annotated[int, typer.Option(min=1, help="Sentences per engine batch.")] = 16,
    int8: Annotated[bool, typer.Option(help="Dynamic int8 Linear layers (transformers on CPU).")] = False,
    threads: Annotated[int | None, typer.Option(min=1, help="Threads per worker (cores/N).")] = None,
    cache: Annotated[Path | None, typer.Option(help="Translation cache [OUT/translations.sqlite].")] = None,
    engine_backend: Annotated[
        Backend, typer.Option(help="Where units run (ray: the ray extra).")
    ] = Backend.LOCAL,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster [$RAY_ADDRESS or a new one].")] = None,
    engine_workers: EngineWorkersOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    allow_pickle: AllowPickleOpt = False,
) -> None:
    """Translate and check many articles; resumable, with summary.jsonl and index.html in --out."""
    from aligner.textio import check_output_folder

    options = BatchOptions(
        input=source,
        langs=tuple(dict.fromkeys(lang.value for lang in to)),
        out=out,
        engine=engine,
        workers=workers,
        resume=resume,
        models=tuple(model or ()),
        back_models=tuple(back_model or ()),
        thresholds=thresholds,
        glossary=glossary,
        fmt=fmt.value,
        fail_on=fail_on.value,
        device=device.value,
        beams=beams,
        batch_size=batch_size,
        int8=int8,
        threads=threads,
        cache=cache,
        engine_workers=engine_workers,
        max_bytes=max_bytes,
        allow_pickle=allow_pickle,
    )
    check_output_folder(out)
    try:
        from aligner.batch.backends import run_batch_on

        report = run_batch_on(engine_backend, options, ray_address)
    except KeyboardInterrupt:  # before the batch started (once started, it says how far it got)
        typer.echo("aligner: interrupted before the batch started; no unit was recorded", err=True)
        raise typer.Exit(130) from None
    typer.echo(report.line())
    raise typer.Exit(report.code)


def main(args: Sequence[str] | None = None, **extra: Any) -> None:
    """Run the CLI (the console-script entry point) and exit with its ``ExitCode``.

    The one place where exceptions become exit codes. Typer itself exits for what it owns (a usage
    error 2, Ctrl-C 130, ``typer.Exit`` its code, a closed stdout pipe 1); an ``AlignerError`` prints
    its one line and exits with its code; any other exception is an internal error: one line (the
    file being read, when known), exit 3, and the traceback too with ``-v``.
    """
    _verbose[0] = False
    command = typer.main.get_group(app)
    try:
        TyperGroup.main(command, args, standalone_mode=True, **extra)  # not _Root.main: that calls here
        code = ExitCode.OK  # not reached: standalone Typer always exits
    except AlignerError as error:
        code = ExitCode(fail(error).exit_code)
    except Exception as error:
        code = internal_error(error)
    sys.exit(int(code))


def internal_error(error: Exception) -> ExitCode:
    """Print an unexpected exception as one line on stderr (after its traceback under ``-v``)."""
    where = getattr(error, "aligner_file", None) or getattr(error, "filename", None)
    while_reading = f" (while reading {where})" if where else ""
    message = (str(error).strip().splitlines() or [""])[0][:300]
    if _verbose[0]:
        traceback.print_exception(error, file=sys.stderr)
        tail = ""
    else:
        tail = " — run with -v for the traceback"
    typer.echo(
        f"aligner: internal error: {type(error).__name__}: {message}{while_reading}; "
        f"please report it to {REPORT_TO}{tail}",
        err=True,
    )
    return ExitCode.INTERNAL
