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
from aligner.errors import AlignerError, ExitCode

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
    from aligner.article import parse_article
    from aligner.report import quotes_json, quotes_text
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


def main() -> None:
    """Run the CLI (the console-script entry point)."""
    app()
