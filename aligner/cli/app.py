"""The thin Typer layer: options in, library calls, rendered output, exit codes.

``AlignerGroup.main`` (``aligner.cli.options``) is the single place where an exception becomes one
line on stderr and an exit code (``ExitCode``): a usage error 2, an ``AlignerError`` its own code (2
for bad input or output), anything else 3 (internal error, with the traceback under ``-v``), an
interrupt 130. Every invocation goes through it, the console script's and ``CliRunner``'s alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aligner.cli.options import (
    CONTEXT,
    EXIT_CODES,
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
from aligner.textio import DEFAULT_MAX_BYTES
from aligner.version import __version__

__all__ = ["Device", "FailOn", "Lang", "QuotesFormat", "ReportFormat", "app", "main"]

app = typer.Typer(
    cls=AlignerGroup,
    help="Translate English news into Korean and Ukrainian and check that every quotation, "
    "and who said it, survived. -v and -q work before or after the command.",
    epilog=EXIT_CODES,
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


MaxBytesOpt = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        min=0,
        metavar="N",
        help="Refuse an article or translation larger than this (bytes; 0: no limit).",
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
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
) -> None:
    """List every quotation of an English article: span, kind, speaker, verb and numbers."""
    from aligner.article.parse import parse_article
    from aligner.cli.commands import read_input
    from aligner.errors import while_reading
    from aligner.report.serialize import quotes_json, quotes_text

    with while_reading(article):
        parsed = parse_article(read_input(article, max_bytes))
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
        "aligner check article.en.txt review.xlf --format json",
    )
)
def check(
    source: Annotated[
        Path, typer.Argument(metavar="SOURCE", help="English article, UTF-8 text; - for stdin.")
    ],
    translation: Annotated[
        Path,
        typer.Argument(
            metavar="TRANSLATION",
            help="Its Korean or Ukrainian translation, any system: text (- for stdin), or XLIFF/TMX/PO "
            "from a CAT tool.",
        ),
    ],
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang", "-l", help="Language of the translation (default: the one an XLIFF/TMX/PO file names)."
        ),
    ] = None,
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


@app.command(
    epilog=examples(
        "aligner check article.en.txt article.uk.txt -l uk --format xliff -o review.xlf",
        "aligner merge review.xlf --output article.uk.reviewed.txt",
    )
)
def merge(
    review: Annotated[
        Path,
        typer.Argument(metavar="REVIEW", help="Reviewed XLIFF 1.2 that aligner check/translate wrote."),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="Write the target document here.")
    ],
) -> None:
    """Merge a reviewed XLIFF back into the target document (its lines and paragraphs kept)."""
    from aligner.cli.commands import merge as merge_review

    merge_review(review, output)


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

    typer.echo(models_table(), nl=False)


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

    for key in keys:
        typer.echo(f"{key}: {fetch(key)}")


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
    ] = Engine.TRANSFORMERS,
    workers: Annotated[
        int, typer.Option(min=1, metavar="N", help="Processes, each with its own engine.")
    ] = 1,
    resume: Annotated[bool, typer.Option(help="Finish the batch in --out (retries failed units).")] = False,
    model: ModelOpt = None,
    back_model: BackModelOpt = None,
    thresholds: ThresholdsOpt = None,
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
    ] = Backend.LOCAL,
    ray_address: Annotated[
        str | None, typer.Option(metavar="ADDR", help="Ray cluster [$RAY_ADDRESS or a new one].")
    ] = None,
    engine_workers: EngineWorkersOpt = None,
    max_bytes: MaxBytesOpt = DEFAULT_MAX_BYTES,
    allow_pickle: AllowPickleOpt = False,
) -> None:
    """Translate and check many articles; resumable, with summary.jsonl and index.html in --out."""
    from aligner.batch.options import BatchOptions
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


def main() -> None:
    """Run the CLI (the console-script entry point)."""
    app()
