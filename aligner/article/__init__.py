"""The English source article: ``parse_article`` and the records it returns."""

from __future__ import annotations

from aligner.article.parse import (
    parse_article,
)
from aligner.article.records import (
    SPEECH_VERBS,
    VERB_FORMS,
    Article,
    Attribution,
    Paragraph,
    ParseWarning,
    Person,
    Quote,
    QuoteKind,
    Speaker,
    SpeechVerb,
    VerbClass,
)

__all__ = [
    "Article",
    "Attribution",
    "Paragraph",
    "ParseWarning",
    "Person",
    "Quote",
    "QuoteKind",
    "SPEECH_VERBS",
    "Speaker",
    "SpeechVerb",
    "VERB_FORMS",
    "VerbClass",
    "parse_article",
]
