"""Issue 13: the cost of ``quotes``, ``check`` and ``translate`` grows linearly with the article,
and a quotation's verdict does not depend on unrelated parts of it.

No timing here (speed is measured by bench/bench_scaling.py): the dynamic programs count the
cells and candidate pairs they cost (``DP_CELLS``, ``DP_COUNTER``), and the tests check that the
count per sentence or quotation does not grow with the input, on the seed repeated and on
hostile inputs. The old full-grid programs fail these: their counts grow with the product.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from conftest import Seed

from aligner.align import quotes as align_quotes
from aligner.align import sentences as align_sentences
from aligner.align.quotes import align
from aligner.article.parse import parse_article
from aligner.check.checker import check_translation
from aligner.check.records import QuoteResult
from aligner.translate import pipeline
from aligner.translate.pipeline import translate_articles
from aligner.translate.protocol import IdentityTranslator, WrappingTranslator


def _repeat(text: str, copies: int, sep: str = "\n") -> str:
    return sep.join([text.strip("\n")] * copies) + "\n"


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _counts(source: str, target: str, lang: str) -> tuple[int, int, int, int]:
    """Return (DP cells, quotation candidates, source units, source quotations) of one alignment."""
    article = parse_article(source)
    cells, pairs = align_sentences.DP_CELLS[0], align_quotes.DP_COUNTER[0]
    align(article, target, lang)
    units = sum(len(p.sentences) for p in article.paragraphs)
    return (
        align_sentences.DP_CELLS[0] - cells,
        align_quotes.DP_COUNTER[0] - pairs,
        units,
        len(article.quotes),
    )


# (source, target) builders: the seed repeated with its paragraphs (each paragraph pair aligned
# on its own); one line of many quotations on both sides (one sentence pair holds them all).
CASES = {
    "seed-paragraphs": lambda s, k: (_repeat(s.en, k), _repeat(s.ko, k)),
    "quotations-one-line": lambda s, k: (
        " ".join(['"Yes, we can," he said.'] * (10 * k)) + "\n",
        " ".join(["“네, 할 수 있습니다”라고 그는 말했다."] * (10 * k)) + "\n",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_dynamic_programs_cost_grows_linearly(seed: Seed, case: str) -> None:
    small = _counts(*CASES[case](seed, 4), "ko")
    large = _counts(*CASES[case](seed, 32), "ko")
    cells_small, cells_large = small[0] / small[2], large[0] / large[2]  # cells per source unit
    assert cells_large <= 1.3 * cells_small + 1
    if small[3]:
        pairs_small, pairs_large = small[1] / small[3], large[1] / large[3]  # candidates per quotation
        assert pairs_large <= 1.3 * pairs_small + 1


@pytest.mark.parametrize("copies", [16, 32], ids=["16", "32"])
def test_whole_text_band_bounds_the_cells(seed: Seed, copies: int) -> None:
    # The English in one line against the translation's paragraphs: paragraphs cannot guide, the
    # sentence aligner runs over the whole text, and its cells (one byte each is what it keeps)
    # stay within the band around the diagonal, never the full grid.
    source, target = _repeat(_one_line(seed.en), copies, " "), _repeat(seed.ko, copies)
    cells, _, units, _ = _counts(source, target, "ko")
    m = len(align(parse_article(source), target, "ko").target.sentences)
    assert m < 2 * units  # so the band's slope term (m // n) is at most 1 … 2
    assert cells <= (units + 1) * (2 * (align_sentences._BAND + align_sentences.BAND_CAP + 2) + 1)
    assert cells < units * m / 2


def test_sentence_band_is_capped() -> None:
    # A translation with far more sentences than its source (one line each): the band stops
    # widening at BAND_CAP, so the cells per source unit stay bounded by the band, not the
    # target's length (the old band widened by the whole count difference).
    source = "One sentence here. " * 50 + "\n"
    target = "\n".join(f"문장 {i}입니다." for i in range(2000)) + "\n"
    cells, _, units, _ = _counts(source, target, "ko")
    width = 2 * align_sentences._band(units, 2000) + 1
    assert align_sentences._band(units, 2000) < 2000 - units
    assert cells <= (units + 1) * width


def _findings(results: Sequence[QuoteResult]) -> list[tuple[str, tuple[tuple[str, str, str], ...]]]:
    return [
        (q.status.value, tuple((f.check, f.severity.value, f.message) for f in q.findings)) for q in results
    ]


@pytest.mark.parametrize("lang", ["ko", "uk"], ids=["ko", "uk"])
def test_findings_do_not_depend_on_unrelated_text(seed: Seed, lang: str) -> None:
    single = check_translation(parse_article(seed.en), seed.text(lang), lang)
    tenfold = check_translation(parse_article(_repeat(seed.en, 10)), _repeat(seed.text(lang), 10), lang)
    per_copy = len(single.quotes)
    assert len(tenfold.quotes) == 10 * per_copy
    expected = _findings(single.quotes)
    for copy in range(10):
        assert _findings(tenfold.quotes[copy * per_copy : (copy + 1) * per_copy]) == expected, copy


class Counting(WrappingTranslator):
    """The identity translator, recording how many texts each call sends."""

    def __init__(self) -> None:
        super().__init__(IdentityTranslator())
        self.calls: list[int] = []

    def translate(self, texts: Sequence[str]) -> list[str]:
        self.calls.append(len(texts))
        return self.inner.translate(texts)


@pytest.mark.parametrize("paragraphs", [10, 1200], ids=["short", "long"])
def test_translate_streams_long_articles(paragraphs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f'Item {i} is new. "Number {i} is here," Ri said.\n' for i in range(paragraphs))
    article = parse_article(text)
    streamed = Counting()
    result = translate_articles([article], "ko", streamed)[0]
    units = len({u.source for u in result.units})
    assert sum(streamed.calls) == units  # every distinct unit once
    assert max(streamed.calls) <= pipeline.STREAM_UNITS + 3  # a run ends with a whole paragraph
    assert len(streamed.calls) >= units / (pipeline.STREAM_UNITS + 3)
    assert (len(streamed.calls) == 1) == (units <= pipeline.STREAM_UNITS)
    monkeypatch.setattr(pipeline, "STREAM_UNITS", 10**9)  # one call: the same output
    whole = Counting()
    assert translate_articles([article], "ko", whole)[0].text == result.text
    assert len(whole.calls) == 1
