"""The JSON record of one translated article (schema ``aligner.translation/1``): every unit with its
translation, guard issues and attempts; each quotation's source and target spans (exact by
construction); the model and decoding signature; timings; what could not be kept; and the summary
of the check of the output.
"""

from __future__ import annotations

from typing import Any

from aligner.check.checker import CheckReport
from aligner.translate.pipeline import ArticleTranslation
from aligner.version import __version__

__all__ = ["TRANSLATION_SCHEMA", "translation_dict"]

TRANSLATION_SCHEMA = "aligner.translation/1"


def translation_dict(result: ArticleTranslation, source: str, check: CheckReport | None) -> dict[str, Any]:
    """Return the JSON record of one translated article: units, quotation spans (exact by
    construction), model and decoding signature, timings, and what could not be kept."""
    article = result.article
    return {
        "schema": TRANSLATION_SCHEMA,
        "signature": f"{result.signature}|aligner:{__version__}",
        "source": source,
        "lang": result.lang,
        "units": [
            {
                "source": unit.source,
                "target": unit.target,
                "pieces": unit.pieces,
                "attempts": unit.attempts,
                "issues": [{"code": i.code, "message": i.message} for i in unit.issues],
            }
            for unit in result.units
        ],
        "quotes": [
            {
                "id": quote.id,
                "kind": quote.kind.value,
                "source_span": quote.span.to_list(),
                "source_parts": [p.to_list() for p in quote.parts],
                "target_parts": [s.to_list() for s in result.quote_spans.get(quote.id, ())],
                "method": "construction" if quote.id in result.quote_spans else None,
            }
            for quote in article.quotes
        ],
        "problems": list(result.problems),
        "check": None
        if check is None
        else {"status": _status(check), "score": check.summary.score, "signature": check.signature},
        "timings": {"seconds_per_article": round(result.seconds, 4)},
    }


def _status(check: CheckReport) -> str:
    return "ok" if not check.findings() else "findings"
