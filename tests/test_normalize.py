"""Moses punctuation normalisation of the source, as OPUS-MT's training data had it.

transformers' MarianTokenizer builds a ``MosesPunctNormalizer`` when sacremoses is installed but never
calls it while encoding, so ``MarianTranslator.prepare`` does; these tests drive the real tokenizer
and model of the tiny seed model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.translate.engines.hub import punct_normalizer
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.registry import load_registry

# Expected strings from sacremoses 0.2 MosesPunctNormalizer(lang="en"), the port of Moses'
# normalize-punctuation.perl that OPUS-MT's preprocessing runs.
CASES = [
    ("curly quotes", "\u201cWe will win,\u201d he said.", '"We will win," he said.'),
    ("apostrophe and dash", "it\u2019s sure \u2014 they said", "it's sure - they said"),
    ("comma after quote", "\u201cWe will win\u201d, he said", '"We will win," he said'),
    ("ellipsis", "sure\u2026", "sure..."),
    ("plain ascii", "He said 5,000 soldiers.", "He said 5,000 soldiers."),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_punct_normalizer(text: str, expected: str) -> None:
    normalize = punct_normalizer("en")
    assert normalize is not None, "sacremoses is a dependency"
    assert normalize(text) == expected


@pytest.mark.slow
def test_marian_engine_normalises_before_sentencepiece(tiny_models: dict[str, Path]) -> None:
    entry = load_registry().resolve("en-ko", str(tiny_models["en-ko"]))
    translator = MarianTranslator(entry, device="cpu", beams=1)
    curly, straight = CASES[0][1], CASES[0][2]
    assert translator.prepare(curly) == straight
    assert translator.count_tokens(curly) == translator.count_tokens(straight)
    # the tokenizer alone (no normalisation) encodes the curly quotes otherwise
    assert translator._tokenizer(curly)["input_ids"] != translator._tokenizer(straight)["input_ids"]
    assert translator.translate([curly]) == translator.translate([straight])
    assert "|punct:moses|" in translator.signature()
