"""aligner: translate English news into Korean and Ukrainian and prove the quotations survived.

The names in ``__all__`` are the stable, documented Python API (README, "Python API"): parse an
English article, check any translation of it, read a glossary, and the records they return. Every
other module is internal and may change between minor versions. Importing ``aligner`` loads no model
library (torch, transformers, sentencepiece, ctranslate2).
"""

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
from aligner.lang.names import Glossary, load_glossary
from aligner.report.serialize import check_dict
from aligner.spans import Span
from aligner.version import __version__

__all__ = [
    "AlignerError",
    "Article",
    "Attribution",
    "CheckReport",
    "ExitCode",
    "Finding",
    "Glossary",
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
    "check_dict",
    "check_translation",
    "exit_status",
    "load_glossary",
    "parse_article",
]
