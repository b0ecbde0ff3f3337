"""Map source sentences and quotations onto any Korean or Ukrainian translation (pure; no model)."""

from __future__ import annotations

from aligner.align.quotes import (
    Alignment,
    QuoteAlignment,
    SentencePair,
    TargetQuote,
    TargetText,
    align,
    align_quotes,
    align_sentences,
    find_target_quotes,
    segment_target,
)

__all__ = [
    "Alignment",
    "QuoteAlignment",
    "SentencePair",
    "TargetQuote",
    "TargetText",
    "align",
    "align_quotes",
    "align_sentences",
    "find_target_quotes",
    "segment_target",
]
