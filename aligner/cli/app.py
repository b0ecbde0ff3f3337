"""The thin Typer layer: options in, library calls, rendered output, exit codes.

This is the single place where ``AlignerError`` becomes a message on stderr and an exit code.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from aligner import __version__
from aligner.errors import AlignerError

app = typer.Typer(
    help="Translate English news into Korean and Ukrainian and check that every quotation, "
    "and who said it, survived.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


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
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="aligner: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


def fail(error: AlignerError) -> typer.Exit:
    """Print ``error`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"aligner: error: {error}", err=True)
    return typer.Exit(int(error.exit_code))


@app.command()
def quotes(
    article: Annotated[Path, typer.Argument(help="English article, UTF-8 text.")],
    fmt: Annotated[QuotesFormat, typer.Option("--format", "-f", help="Output format.")] = QuotesFormat.text,
) -> None:
    """List every quotation of an English article: span, kind, speaker, verb and numbers."""
    from aligner.article.parse import parse_article
    from aligner.report.serialize import quotes_json, quotes_text
    from aligner.textio import read_text

    try:
        parsed = parse_article(read_text(article))
    except AlignerError as error:
        raise fail(error) from None
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
    translation: Annotated[Path, typer.Argument(help="Its Korean or Ukrainian translation, any system.")],
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Language of the translation.")],
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    glossary: GlossaryOpt = None,
    ref: Annotated[Path | None, typer.Option("--ref", help="Reference translation: chrF per quote.")] = None,
    fail_on: FailOnOpt = FailOn.error,
    model: ModelOpt = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
    device: DeviceOpt = Device.auto,
) -> None:
    """Find every source quotation in a translation; report what was altered, dropped or invented.

    With --model (and --back-model) MarianMT also scores the meaning of every quotation.
    """
    from aligner.cli.commands import CheckOptions, ModelOptions, parse_model_options, run_check

    try:
        forward, back = parse_model_options(model or ()), parse_model_options(back_model or ())
        models = ModelOptions(forward.get(lang.value), back.get(lang.value), thresholds, device.value)
        options = CheckOptions(lang.value, fmt.value, output, glossary, ref, fail_on.value, models)
        code = run_check(source, translation, options)
    except AlignerError as error:
        raise fail(error) from None
    raise typer.Exit(code)


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
    )
    try:
        code = run_translate(articles, options)
    except AlignerError as error:
        raise fail(error) from None
    raise typer.Exit(code)


models_app = typer.Typer(help="List and fetch the MarianMT models of the registry.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list() -> None:
    """List every registry entry: direction, model id, revision, size, licence, published scores."""
    from aligner.cli.commands import models_table

    try:
        typer.echo(models_table(), nl=False)
    except AlignerError as error:
        raise fail(error) from None


@models_app.command("fetch")
def models_fetch(
    keys: Annotated[list[str], typer.Argument(help="ko, uk, ko-en, uk-en, or an entry name.")],
) -> None:
    """Download models into the Hugging Face cache (HF_HOME), for use offline later."""
    from aligner.cli.commands import fetch

    try:
        for key in keys:
            typer.echo(f"{key}: {fetch(key)}")
    except AlignerError as error:
        raise fail(error) from None


@app.command()
def batch(
    source: Annotated[Path, typer.Argument(help="Folder of .txt/.md articles, or JSONL of {id, text}.")],
    to: Annotated[list[Lang], typer.Option("--to", "-t", help="Target language; repeat for several.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (new or empty, or --resume).")],
    engine: Annotated[str, typer.Option(help="transformers or ct2 (CTranslate2, int8).")] = "transformers",
    workers: Annotated[int, typer.Option(min=1, help="Processes, each with its own engine.")] = 1,
    resume: Annotated[bool, typer.Option(help="Finish the batch in --out (retries failed units).")] = False,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="LANG=HUB_ID_OR_DIR.")] = None,
    glossary: GlossaryOpt = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.json,
    fail_on: FailOnOpt = FailOn.error,
    device: Annotated[Device, typer.Option(help="Where the transformers engine runs.")] = Device.auto,
    beams: Annotated[int, typer.Option(min=1, help="Beam size.")] = 4,
    batch_size: Annotated[int, typer.Option(min=1, help="Sentences per engine batch.")] = 16,
    int8: Annotated[bool, typer.Option(help="Dynamic int8 Linear layers (transformers on CPU).")] = False,
    threads: Annotated[int | None, typer.Option(min=1, help="Threads per worker (cores/N).")] = None,
    cache: Annotated[Path | None, typer.Option(help="Translation cache [OUT/translations.sqlite].")] = None,
    engine_backend: Annotated[str, typer.Option(help="local, or ray (needs the ray extra).")] = "local",
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster [$RAY_ADDRESS or a new one].")] = None,
    engine_workers: EngineWorkersOpt = None,
) -> None:
    """Translate and check many articles; resumable, with summary.jsonl and index.html in --out."""
    langs = tuple(dict.fromkeys(lang.value for lang in to))
    what = (source, langs, out, engine, workers, resume, tuple(model or ()), glossary, fmt.value)
    how = (fail_on.value, device.value, beams, batch_size, int8, threads, cache)
    try:
        from aligner.batch.ray import run_batch_on
        from aligner.batch.run import BatchOptions

        options = BatchOptions(*what, *how, engine_workers=engine_workers)
        report = run_batch_on(engine_backend, options, ray_address)
    except AlignerError as error:
        raise fail(error) from None
    except KeyboardInterrupt:  # before the batch started (once started, it says how far it got)
        typer.echo("aligner: interrupted before the batch started; no unit was recorded", err=True)
        raise typer.Exit(130) from None
    typer.echo(report.line())
    raise typer.Exit(report.code)


def main() -> None:
    """Run the CLI (the console-script entry point)."""
    app()
