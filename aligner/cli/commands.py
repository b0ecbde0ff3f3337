"""The use cases behind the CLI commands, as small functions the Typer layer calls in order.

Inputs are read and validated before any model loads or any file is written, so bad input
costs nothing and leaves nothing behind.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.check.checker import CheckReport, check_translation, exit_status
from aligner.errors import UsageError
from aligner.lang.names import Glossary, default_glossary, load_glossary
from aligner.report.files import Written, render_check, write_outputs
from aligner.textio import decode_text, read_text, safe_name, write_atomic
from aligner.translate.engines.marian import MarianTranslator
from aligner.translate.protocol import Translator
from aligner.translate.registry import load_registry

log = logging.getLogger("aligner")

# Articles per step of the progress display (and per engine call in ``translate``).
STEP = 8
# The retry engine for units the guard rejects: a wider beam that may not repeat any 3-gram.
RETRY_NO_REPEAT = 3


STDIO = "-"  # an input path that means stdin; an --output that means stdout


def read_input(path: Path) -> str:
    """Read an input file as text, or stdin when ``path`` is ``-`` (decoded and checked alike)."""
    if str(path) == STDIO:
        return decode_text(sys.stdin.buffer.read(), "<stdin>")
    return read_text(path)


def one_stdin(*paths: Path | None) -> None:
    """Refuse ``-`` for more than one input: stdin can be read once.

    Raises:
        UsageError: two inputs are ``-``.
    """
    if sum(str(p) == STDIO for p in paths if p is not None) > 1:
        raise UsageError("-: stdin can feed only one input; give the others as files")


def glossary_from(path: Path | None) -> Glossary:
    """Return the built-in glossary, merged with the user's file when one is given."""
    builtin = default_glossary()
    return builtin if path is None else builtin.merged(load_glossary(path))


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """Which MarianMT models score meaning (``--model``/``--back-model``) and how they run."""

    forward: str | None = None  # hub id or folder of the en→xx model
    back: str | None = None  # hub id or folder of the xx→en model
    thresholds: Path | None = None
    device: str = "auto"
    beams: int = 4
    batch_size: int = 16


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """Everything ``aligner check`` was asked to do besides the two files."""

    lang: str
    fmt: str
    output: Path | None
    glossary: Path | None
    ref: Path | None
    fail_on: str
    models: ModelOptions


def score_meaning(report: CheckReport, lang: str, models: ModelOptions) -> tuple[CheckReport, object]:
    """Add the model-based fidelity findings to ``report`` when a model was named."""
    from aligner.check.fidelity import score_fidelity, thresholds_for, with_fidelity

    if models.forward is None:
        if models.back is not None:
            raise UsageError("--back-model needs --model for the same language (the forward model)")
        return report, None
    registry = load_registry()
    forward = MarianTranslator(
        registry.resolve(f"en-{lang}", models.forward),
        device=models.device,
        beams=models.beams,
        batch_size=models.batch_size,
    ).load()
    back = None
    if models.back is not None:
        back = MarianTranslator(
            registry.resolve(f"{lang}-en", models.back), device=models.device, batch_size=models.batch_size
        ).load()
    fidelity = score_fidelity(report, forward, back, thresholds=thresholds_for(lang, models.thresholds))
    return with_fidelity(report, fidelity), fidelity


def run_check(source: Path, translation: Path, options: CheckOptions) -> int:
    """Check one translation and print or write the report; return the exit status."""
    one_stdin(source, translation, options.ref)
    article = parse_article(read_input(source))
    target = read_input(translation)
    reference = read_input(options.ref) if options.ref else None
    names = glossary_from(options.glossary)
    report = check_translation(article, target, options.lang, glossary=names, reference_text=reference)
    report, fidelity = score_meaning(report, options.lang, options.models)
    rendered = render_check(report, options.fmt, str(source), str(translation), fidelity)
    if options.output is None or str(options.output) == STDIO:
        sys.stdout.write(rendered)
    else:
        write_atomic(options.output, rendered)
    return exit_status(report, options.fail_on)


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """Everything ``aligner translate`` was asked to do."""

    langs: tuple[str, ...]
    out: Path
    fmt: str
    models: tuple[str, ...]  # LANG=HUB_ID_OR_DIR
    glossary: Path | None
    device: str
    beams: int
    batch_size: int
    fail_on: str
    back_models: tuple[str, ...] = ()  # LANG=HUB_ID_OR_DIR of xx→en models: fidelity of the output
    thresholds: Path | None = None
    engine_workers: int | None = None  # engine processes; one per thread on the CPU when None


def parse_model_options(values: Sequence[str]) -> dict[str, str]:
    """Turn ``["ko=PATH", "uk=ID"]`` into ``{"ko": "PATH", "uk": "ID"}``.

    Raises:
        UsageError: a value without ``LANG=``.
    """
    models = {}
    for value in values:
        lang, sep, model = value.partition("=")
        if not sep or not lang or not model:
            raise UsageError(
                f"--model {value!r}: write LANG=HUB_ID_OR_DIR, e.g. --model ko=models/tiny/en-ko"
            )
        models[lang.strip()] = model.strip()
    return models


def load_translator(lang: str, model: str | None, options: TranslateOptions) -> MarianTranslator:
    """Load the MarianMT translator for en→``lang`` (fails early with a clear error), with one engine
    process per thread on the CPU unless ``options.engine_workers`` says otherwise."""
    from aligner.translate.engines.hub import resolve_device
    from aligner.translate.engines.pool import choose_workers, default_threads

    entry = load_registry().resolve(f"en-{lang}", model)
    device = resolve_device(options.device)
    workers = choose_workers(options.engine_workers, device=device, threads=default_threads())
    translator = MarianTranslator(
        entry, device=device, beams=options.beams, batch_size=options.batch_size, workers=workers
    )
    return translator.load()


def load_back_translator(lang: str, model: str | None, options: TranslateOptions) -> Translator | None:
    """Load the ``lang``→en model named by ``--back-model``, or return None."""
    if model is None:
        return None
    entry = load_registry().resolve(f"{lang}-en", model)
    return MarianTranslator(entry, device=options.device, batch_size=options.batch_size).load()


def back_translation_fidelity(
    report: CheckReport, forward: Translator, back: Translator | None, options: TranslateOptions
) -> tuple[CheckReport, object]:
    """Score the meaning of the output's quotations when a back-translation model was given.

    The forward margin is 0 on the model's own output, so here the back-translation chrF decides.
    """
    from aligner.check.fidelity import Scorer, score_fidelity, thresholds_for, with_fidelity

    if back is None or not isinstance(forward, Scorer):
        return report, None
    fidelity = score_fidelity(
        report, forward, back, thresholds=thresholds_for(report.lang, options.thresholds)
    )
    return with_fidelity(report, fidelity), fidelity


def read_articles(paths: Sequence[Path]) -> list[tuple[Path, Article]]:
    """Read and parse every article before anything is loaded or written."""
    one_stdin(*paths)
    return [(path, parse_article(read_input(path))) for path in paths]


def stems(paths: Sequence[Path]) -> list[str]:
    """Return a safe, unique output stem per article: "nk-soldier.en.txt" -> "nk-soldier", and
    "a", "a-2" when two files share a name."""
    seen: dict[str, int] = {}
    out = []
    for path in paths:
        stem = "stdin" if str(path) == STDIO else safe_name(path.stem.removesuffix(".en"))
        seen[stem] = seen.get(stem, 0) + 1
        out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return out


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """Yield a callable ``advance(n)``: a bar on stderr when it is a terminal (and no ``-q``), log lines
    otherwise."""
    from aligner.cli.options import quiet

    if sys.stderr.isatty() and not quiet():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda n: bar.advance(task, n)
        return
    done = [0]

    def advance(n: int) -> None:
        done[0] += n
        log.info("%s: %d/%d", label, done[0], total)

    yield advance


def run_translate(paths: Sequence[Path], options: TranslateOptions) -> int:
    """Translate every article into every language, check the output, write it; return the status."""
    from aligner.translate.pipeline import translate_articles

    articles = read_articles(paths)
    glossary = glossary_from(options.glossary)
    models = parse_model_options(options.models)
    unknown = set(models) - set(options.langs)
    if unknown:
        raise UsageError(f"--model names {', '.join(sorted(unknown))} but --to does not")
    backs = parse_model_options(options.back_models)
    names = stems(paths)
    rows: list[tuple[str, str, CheckReport, tuple[str, ...], Written]] = []
    for lang in options.langs:
        translator = load_translator(lang, models.get(lang), options)
        back = load_back_translator(lang, backs.get(lang), options)
        retry = translator.variant(beams=options.beams + 2, no_repeat_ngram=RETRY_NO_REPEAT)
        with translator, progress(len(articles), f"translating into {lang}") as advance:
            for start in range(0, len(articles), STEP):
                chunk = articles[start : start + STEP]
                results = translate_articles(
                    [a for _, a in chunk], lang, translator, retry=retry, glossary=glossary
                )
                for (path, article), stem, result in zip(chunk, names[start:], results, strict=False):
                    report = check_translation(article, result.text, lang, glossary=glossary)
                    report, fidelity = back_translation_fidelity(report, translator, back, options)
                    written = write_outputs(
                        options.out, stem, result, report, options.fmt, str(path), fidelity
                    )
                    rows.append((str(path), lang, report, result.problems, written))
                advance(len(chunk))
    sys.stdout.write(summary_table(rows))
    failed = any(exit_status(r, options.fail_on) or problems for _, _, r, problems, _ in rows)
    return int(failed)


def summary_table(rows: Sequence[tuple[str, str, CheckReport, tuple[str, ...], Written]]) -> str:
    """Return the end-of-run table: one line per article and language."""
    lines = [f"{'article':<32} {'lang':<4} {'quotes ok':>9} {'findings':>8} {'problems':>8}  output"]
    for source, lang, report, problems, written in rows:
        s = report.summary
        lines.append(
            f"{Path(source).name[:32]:<32} {lang:<4} {f'{s.ok}/{s.quotes}':>9} "
            f"{s.errors + s.warnings:>8} {len(problems):>8}  {written.translation}"
        )
    return "\n".join(lines) + "\n"


def models_table() -> str:
    """Return the registry as a table."""
    registry = load_registry()
    lines = [f"registry: {registry.path}"]
    for e in registry.entries:
        best = max(e.scores, key=lambda s: s.chrf, default=None)
        score = f"{best.benchmark} {best.pair} BLEU {best.bleu} chrF {best.chrf:.1f}" if best else "-"
        mark = "*" if e.default else " "
        lines.append(
            f"{mark} {e.key:<6} {e.model_id:<40} rev {str(e.revision)[:10]:<10} "
            f"{e.size_mb:>5} MB {e.license:<10} token {e.target_token or '-':<8} {score}"
        )
    lines.append("* default for its direction; fetch with `aligner models fetch KEY`")
    return "\n".join(lines) + "\n"


def fetch(key: str) -> Path:
    """Download the registry entry named by ``key`` (``ko``, ``uk``, ``ko-en``, … or an entry name)."""
    from aligner.translate.engines.hub import fetch_model

    registry = load_registry()
    direction = f"en-{key}" if key in ("ko", "uk") else key
    entry = registry.default(direction) if direction in registry.directions() else registry.get(key)
    return fetch_model(entry)
