"""aligner: translate English news into Korean and Ukrainian and prove the quotations survived."""

from aligner.article.parse import parse_article
from aligner.article.records import Article, Attribution, Quote, QuoteKind, Speaker, SpeechVerb, VerbClass
from aligner.check.checker import (
    CheckReport,
    Finding,
    QuoteResult,
    Severity,
    Status,
    check_translation,
    exit_status,
)
from aligner.errors import AlignerError, ExitCode
from aligner.spans import Span
from aligner.version import __version__

__all__ = [
    "AlignerError",
    "Article",
    "Attribution",
    "CheckReport",
    "ExitCode",
    "Finding",
    "Quote",
    "QuoteKind",
    "QuoteResult",
    "Severity",
    "Span",
    "Speaker",
    "SpeechVerb",
    "Status",
    "VerbClass",
    "__version__",
    "check_translation",
    "exit_status",
    "parse_article",
]
