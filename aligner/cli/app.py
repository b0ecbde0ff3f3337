"""The thin Typer layer: options in, library calls, rendered output, exit codes.

This is the single place where ``AlignerError`` becomes a message on stderr and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner import __version__
from aligner.cli.options import (
    CONTEXT,
    AlignerGroup,
    ArticleArg,
    Backend,
    BackModelOpt,
    BatchSizeOpt,
    BeamsOpt,
    Device,
    DeviceOpt,
    Engine,
    EngineWorkersOpt,
    FailOn,
    FailOnOpt,
    GlossaryOpt,
    Lang,
    LangOpt,
    ModelOpt,
    QuietOpt,
    QuotesFormat,
    ReportFormat,
    ReportFormatOpt,
    ThresholdsOpt,
    ToOpt,
    VerboseOpt,
    configure_logging,
    error_line,
    quiet,
)
from aligner.errors import AlignerError

__all__ = ["Device", "FailOn", "Lang", "QuotesFormat", "ReportFormat", "app", "main"]

app = typer.Typer(
    cls=AlignerGroup,
    help="Translate English news into Korean and Ukrainian and check that every quotation, "
    "and who said it, survived. -v and -q work before or after the command.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def examples(*lines: str) -> str:
    """An **Examples** epilog that Click prints as written (``\b`` stops its re-wrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    verbose: VerboseOpt = False,
    quiet: QuietOpt = False,
) -> None:
    configure_logging()


def fail(error: AlignerError) -> typer.Exit:
    """Print ``error`` as one line on stderr and return the Exit to raise."""
    typer.echo(error_line(str(error)), err=True)
    return typer.Exit(int(error.exit_code))


@app.command(
    epilog=examples(
        "aligner quotes seeds/nk-soldier.en.txt",
        "aligner quotes article.txt --format json > quotes.json",
        "curl -s URL | aligner quotes -",
    )
)
def quotes(
    article: ArticleArg,
    fmt: Annotated[QuotesFormat, typer.Option("--format", "-f", help="Output format.")] = QuotesFormat.text,
) -> None:
    """List every quotation of an English article: span, kind, speaker, verb and numbers."""
    from aligner.article.parse import parse_article
    from aligner.cli.commands import read_input
    from aligner.report.serialize import quotes_json, quotes_text

    try:
        parsed = parse_article(read_input(article))
    except AlignerError as error:
        raise fail(error) from None
    for warning in () if quiet() else parsed.warnings:
        typer.echo(error_line(f"{article}: line {warning.line}: {warning.message}", kind="warning"), err=True)
    typer.echo(
        quotes_json(parsed, str(article)) if fmt is QuotesFormat.json else quotes_text(parsed), nl=False
    )


@app.command(
    epilog=examples(
        "aligner check seeds/nk-soldier.en.txt seeds/nk-soldier.ko.txt --lang ko",
        "aligner check article.en.txt article.uk.txt -l uk --format html --output report.html",
        "mt-system < article.en.txt | aligner check article.en.txt - -l ko --format json --output -",
        "aligner check article.en.txt article.ko.txt -l ko --ref human.ko.txt -v",
        "aligner check article.en.txt article.ko.txt -l ko --model ko=models/tiny/en-ko",
    )
)
def check(
    source: Annotated[
        Path, typer.Argument(metavar="SOURCE", help="English article, UTF-8 text; - for stdin.")
    ],
    translation: Annotated[
        Path,
        typer.Argument(
            metavar="TRANSLATION", help="Its Korean or Ukrainian translation, any system; - for stdin."
        ),
    ],
    lang: LangOpt,
    fmt: ReportFormatOpt = ReportFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report here (atomically); - for stdout."
        ),
    ] = None,
    glossary: GlossaryOpt = None,
    ref: Annotated[
        Path | None,
        typer.Option("--ref", metavar="REFERENCE", help="Reference translation: chrF (0-100) per quote."),
    ] = None,
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


@app.command(
    epilog=examples(
        "aligner translate seeds/nk-soldier.en.txt --to ko --to uk \\",
        "    --model ko=models/tiny/en-ko --model uk=models/tiny/en-uk --out out",
        "aligner translate a.en.txt b.en.txt -t uk --format html --device cpu",
        "aligner translate - -t ko < article.en.txt",
    )
)
def translate(
    articles: Annotated[
        list[Path], typer.Argument(metavar="ARTICLE...", help="English articles, UTF-8 text; - for stdin.")
    ],
    to: ToOpt,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder.")] = Path("out"),
    fmt: ReportFormatOpt = ReportFormat.json,
    model: ModelOpt = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
    glossary: GlossaryOpt = None,
    device: DeviceOpt = Device.auto,
    beams: BeamsOpt = 4,
    batch_size: BatchSizeOpt = 16,
    fail_on: FailOnOpt = FailOn.error,
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


models_app = typer.Typer(
    cls=AlignerGroup,
    help="List and fetch the MarianMT models of the registry.",
    no_args_is_help=True,
    context_settings=CONTEXT,
    rich_markup_mode=None,
)
app.add_typer(models_app, name="models")


@models_app.command("list", epilog=examples("aligner models list"))
def models_list() -> None:
    """List every registry entry: direction, model id, revision, size, licence, published scores."""
    from aligner.cli.commands import models_table

    try:
        typer.echo(models_table(), nl=False)
    except AlignerError as error:
        raise fail(error) from None


@models_app.command(
    "fetch", epilog=examples("aligner models fetch ko uk", "aligner models fetch ko-en uk-en")
)
def models_fetch(
    keys: Annotated[
        list[str], typer.Argument(metavar="KEY...", help="ko, uk, ko-en, uk-en, or an entry name.")
    ],
) -> None:
    """Download models into the Hugging Face cache (HF_HOME), for use offline later."""
    from aligner.cli.commands import fetch

    try:
        for key in keys:
            typer.echo(f"{key}: {fetch(key)}")
    except AlignerError as error:
        raise fail(error) from None


@app.command(
    epilog=examples(
        "aligner batch articles/ --to ko --to uk --out run-1 -v",
        "aligner batch articles.jsonl -t uk -o run-1 --engine ct2 --workers 2",
        "aligner batch articles/ -t ko -o run-1 --resume",
    )
)
def batch(
    source: Annotated[
        Path, typer.Argument(metavar="INPUT", help="Folder of .txt/.md articles, or JSONL of {id, text}.")
    ],
    to: ToOpt,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder (new or empty, or --resume).")
    ],
    engine: Annotated[
        Engine, typer.Option(help="transformers, or ct2 (CTranslate2, int8 on the CPU).")
    ] = Engine.transformers,
    workers: Annotated[
        int, typer.Option(min=1, metavar="N", help="Processes, each with its own engine.")
    ] = 1,
    resume: Annotated[bool, typer.Option(help="Finish the batch in --out (retries failed units).")] = False,
    model: ModelOpt = None,
    glossary: GlossaryOpt = None,
    fmt: ReportFormatOpt = ReportFormat.json,
    fail_on: FailOnOpt = FailOn.error,
    device: DeviceOpt = Device.auto,
    beams: BeamsOpt = 4,
    batch_size: BatchSizeOpt = 16,
    int8: Annotated[bool, typer.Option(help="Dynamic int8 Linear layers (transformers on CPU).")] = False,
    threads: Annotated[
        int | None, typer.Option(min=1, metavar="N", help="Threads per worker (cores/N).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Translation cache [OUT/translations.sqlite].")
    ] = None,
    engine_backend: Annotated[
        Backend, typer.Option(help="local, or ray (needs the ray extra).")
    ] = Backend.local,
    ray_address: Annotated[
        str | None, typer.Option(metavar="ADDR", help="Ray cluster [$RAY_ADDRESS or a new one].")
    ] = None,
    engine_workers: EngineWorkersOpt = None,
) -> None:
    """Translate and check many articles; resumable, with summary.jsonl and index.html in --out."""
    from aligner.batch.ray import run_batch_on
    from aligner.batch.run import BatchOptions

    langs = tuple(dict.fromkeys(lang.value for lang in to))
    what = (source, langs, out, engine.value, workers, resume, tuple(model or ()), glossary, fmt.value)
    how = (fail_on.value, device.value, beams, batch_size, int8, threads, cache)
    options = BatchOptions(*what, *how, engine_workers=engine_workers)
    try:
        report = run_batch_on(engine_backend.value, options, ray_address)
    except AlignerError as error:
        raise fail(error) from None
    typer.echo(report.line())
    raise typer.Exit(report.code)


def main() -> None:
    """Run the CLI (the console-script entry point)."""
    app()
