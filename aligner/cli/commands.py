"""The use cases behind the CLI commands, as small functions the Typer layer calls in order.

Inputs are read and validated before any model loads or any file is written, so bad input
costs nothing and leaves nothing behind. So are the outputs (the preflight): the output file or
folder must be creatable and writable with a few MB free, no output may be a directory, and
``translate`` refuses to replace existing outputs without ``--force``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aligner.article.parse import parse_article
from aligner.article.records import Article
from aligner.check.checker import CheckReport, check_translation, exit_status
from aligner.errors import OutputError, UsageError, while_reading
from aligner.lang.names import glossary_from
from aligner.report.files import render_check
from aligner.report.serialize import UnitSpans
from aligner.textio import (
    check_output_file,
    check_output_folder,
    decode_text,
    inside,
    read_text,
    too_large,
    unique_stems,
    write_atomic,
    write_output,
)
from aligner.translate.registry import load_registry, parse_model_options

if TYPE_CHECKING:  # imported where used: a model-free ``aligner check`` loads no translation engine
    from aligner.batch.flow import Job, Outcome
    from aligner.check.fidelity import FidelityReport
    from aligner.protocols import Translator
    from aligner.translate.engines.marian import MarianTranslator

log = logging.getLogger("aligner")

# Articles per step of the progress display (and per engine call in ``translate``).
STEP = 8

STDIO = "-"  # an input path that means stdin; an --output that means stdout


def read_input(path: Path, max_bytes: int = 0) -> str:
    """Read an input file as text, or stdin when ``path`` is ``-`` (decoded, checked and size-limited
    alike).

    Raises:
        ArticleFormatError: unreadable, too large, empty, binary or not UTF-8.
    """
    if str(path) != STDIO:
        return read_text(path, max_bytes)
    data = sys.stdin.buffer.read(max_bytes + 1) if max_bytes else sys.stdin.buffer.read()
    if max_bytes and len(data) > max_bytes:
        raise too_large("<stdin>", len(data), max_bytes)
    return decode_text(data, "<stdin>")


def one_stdin(*paths: Path | None) -> None:
    """Refuse ``-`` for more than one input: stdin can be read once.

    Raises:
        UsageError: two inputs are ``-``.
    """
    if sum(str(p) == STDIO for p in paths if p is not None) > 1:
        raise UsageError("-: stdin can feed only one input; give the others as files")


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """Which MarianMT models score meaning (``--model``/``--back-model``) and how they run."""

    forward: str | None = None  # hub id or folder of the en→xx model
    back: str | None = None  # hub id or folder of the xx→en model
    thresholds: Path | None = None
    device: str = "auto"
    beams: int = 4
    batch_size: int = 16
    allow_pickle: bool = False  # load pytorch_model.bin (weights_only) when a folder has no safetensors


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
    max_bytes: int = 0  # refuse a source, translation or reference larger than this (0: no limit)


def score_meaning(
    report: CheckReport, lang: str, models: ModelOptions
) -> tuple[CheckReport, FidelityReport | None]:
    """Add the model-based fidelity findings to ``report`` when a model was named."""
    if models.forward is None:
        if models.back is not None:
            raise UsageError("--back-model needs --model for the same language (the forward model)")
        return report, None
    from aligner.check.fidelity import score_fidelity, thresholds_for, with_fidelity
    from aligner.translate.engines.marian import load_direction

    device, batch_size, allow_pickle = models.device, models.batch_size, models.allow_pickle
    forward = load_direction(
        f"en-{lang}", models.forward, device=device, beams=models.beams, batch_size=batch_size,
        allow_pickle=allow_pickle,
    )  # fmt: skip
    back = None
    if models.back is not None:
        back = load_direction(
            f"{lang}-en", models.back, device=device, batch_size=batch_size, allow_pickle=allow_pickle
        )
    fidelity = score_fidelity(report, forward, back, thresholds=thresholds_for(lang, models.thresholds))
    return with_fidelity(report, fidelity), fidelity


def translation_lang(translation: Path, lang: str | None) -> str:
    """Return the language to check: ``--lang``, or the target language a bilingual file names.

    Raises:
        UsageError: the two differ, neither is given, or the file's is not ko or uk.
    """
    from aligner.report.bilingual import kind_of, read_bilingual

    kind = None if str(translation) == STDIO else kind_of(translation)
    named = read_bilingual(translation, kind).target_lang if kind else None
    if lang and named and lang != named:
        raise UsageError(f"{translation}: its target language is {named}, not {lang}; drop --lang or fix it")
    chosen = lang or named
    if chosen is None:
        raise UsageError(f"{translation}: give --lang ko|uk (the file names no target language)")
    if chosen not in ("ko", "uk"):
        raise UsageError(f"{translation}: its target language is {chosen}; aligner checks ko and uk")
    return chosen


def read_translation(
    source: Path, translation: Path, article: Article, max_bytes: int = 0
) -> tuple[str, UnitSpans]:
    """Return the translation to check and, for a bilingual file (XLIFF, TMX, PO), each unit's span."""
    from aligner.report.bilingual import kind_of, lay_out, read_bilingual, source_mismatch

    kind = None if str(translation) == STDIO else kind_of(translation)
    if kind is None:
        return read_input(translation, max_bytes), ()
    bilingual = read_bilingual(translation, kind)
    laid = lay_out(bilingual, article)
    warning = source_mismatch(bilingual, laid, source)
    if warning:
        sys.stderr.write(f"aligner: warning: {warning}\n")
    return laid.text, laid.units


def run_check(source: Path, translation: Path, options: CheckOptions) -> int:
    """Check one translation and print or write the report; return the exit status."""
    one_stdin(source, translation, options.ref)
    to_stdout = options.output is None or str(options.output) == STDIO
    if not to_stdout and options.output is not None:
        check_output_file(options.output)
    with while_reading(source):
        article = parse_article(read_input(source, options.max_bytes))
    target, units = read_translation(source, translation, article, options.max_bytes)
    reference = read_input(options.ref, options.max_bytes) if options.ref else None
    names = glossary_from(options.glossary)
    with while_reading(translation):
        report = check_translation(article, target, options.lang, glossary=names, reference_text=reference)
    report, fidelity = score_meaning(report, options.lang, options.models)
    rendered = render_check(report, options.fmt, str(source), str(translation), fidelity, units)
    if to_stdout or options.output is None:
        sys.stdout.write(rendered)
    else:
        write_output(options.output, rendered)
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
    force: bool = False  # replace existing outputs
    max_bytes: int = 0  # refuse an article larger than this (0: no limit)
    allow_pickle: bool = False  # load pytorch_model.bin (weights_only) when a folder has no safetensors


def load_translator(lang: str, model: str | None, options: TranslateOptions) -> MarianTranslator:
    """Load the MarianMT translator for en→``lang`` (fails early with a clear error), with one engine
    process per thread on the CPU unless ``options.engine_workers`` says otherwise."""
    from aligner.translate.engines.hub import resolve_device
    from aligner.translate.engines.marian import MarianTranslator
    from aligner.translate.engines.pool import choose_workers, default_threads

    entry = load_registry().resolve(f"en-{lang}", model)
    device = resolve_device(options.device)
    workers = choose_workers(options.engine_workers, device=device, threads=default_threads())
    translator = MarianTranslator(
        entry,
        device=device,
        beams=options.beams,
        batch_size=options.batch_size,
        workers=workers,
        allow_pickle=options.allow_pickle,
    )
    return translator.load()


def load_back_translator(lang: str, model: str | None, options: TranslateOptions) -> Translator | None:
    """Load the ``lang``→en model named by ``--back-model``, or return None."""
    from aligner.translate.engines.marian import load_direction

    if model is None:
        return None
    return load_direction(
        f"{lang}-en",
        model,
        device=options.device,
        batch_size=options.batch_size,
        allow_pickle=options.allow_pickle,
    )


def read_articles(paths: Sequence[Path], max_bytes: int = 0) -> list[Job]:
    """Read and parse every article before anything is loaded or written; name each one's outputs
    (``textio.unique_stems``: "nk-soldier.en.txt" -> "nk-soldier", as ``batch`` names them)."""
    from aligner.batch.flow import Job

    one_stdin(*paths)
    names = ["stdin" if str(path) == STDIO else path.stem for path in paths]
    jobs = []
    for path, stem in zip(paths, unique_stems(names), strict=True):
        with while_reading(path):
            jobs.append(Job(stem, str(path), parse_article(read_input(path, max_bytes))))
    return jobs


def preflight_translate(stems: Sequence[str], options: TranslateOptions) -> None:
    """Check, before any model loads, that every output of ``translate`` can be written.

    Raises:
        OutputError: ``--out`` is a file or cannot be written, its device is (nearly) full, an output
            path is a directory, or (without ``--force``) an output exists already.
    """
    from aligner.batch.flow import output_names

    check_output_folder(options.out)
    if not options.out.is_dir():
        return
    for stem in stems:
        for lang in options.langs:
            for name in output_names(stem, lang, options.fmt):
                path = inside(options.out, name)
                if path.is_dir():
                    raise OutputError(path, "is a directory where an output file goes", "move it away")
                if path.exists() and not options.force:
                    raise OutputError(path, "exists already", "pass --force to overwrite, or another --out")


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


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the end-of-run table: a unit, or the reason it failed."""

    source: str
    lang: str
    report: CheckReport | None
    problems: tuple[str, ...]
    output: str  # the translation's path, or why the unit failed


def run_translate(paths: Sequence[Path], options: TranslateOptions) -> int:
    """Translate every article into every language through the per-article flow
    (``aligner.batch.flow``: translate, check, fidelity, files), write each unit's files; return the
    status: 1 when any unit failed or has findings at ``--fail-on``."""
    from aligner.batch.flow import Engines, Settings, retry_engine, run_chunk

    jobs = read_articles(paths, options.max_bytes)
    settings = Settings(
        out_dir=options.out,
        fmt=options.fmt,
        glossary=glossary_from(options.glossary),
        thresholds=options.thresholds,
    )
    models = parse_model_options(options.models)
    unknown = set(models) - set(options.langs)
    if unknown:
        raise UsageError(f"--model names {', '.join(sorted(unknown))} but --to does not")
    backs = parse_model_options(options.back_models)
    preflight_translate([job.stem for job in jobs], options)
    rows: list[Row] = []
    for lang in options.langs:
        translator = load_translator(lang, models.get(lang), options)
        engines = Engines(
            forward=translator,
            retry=retry_engine(translator, options.beams),
            back=load_back_translator(lang, backs.get(lang), options),
        )
        with translator, progress(len(jobs), f"translating into {lang}") as advance:
            for start in range(0, len(jobs), STEP):
                chunk = jobs[start : start + STEP]
                for job, outcome in zip(chunk, run_chunk(chunk, lang, engines, settings), strict=True):
                    rows.append(_row(job, lang, outcome, options.out))
                advance(len(chunk))
    sys.stdout.write(summary_table(rows))
    return int(any(_failed(row, options.fail_on) for row in rows))


def _row(job: Job, lang: str, outcome: Outcome | Exception, out: Path) -> Row:
    from aligner.batch.flow import failure_reason, write_unit

    if isinstance(outcome, Exception):
        reason = failure_reason(outcome)
        log.error("%s (%s): %s", job.origin, lang, reason)
        return Row(job.origin, lang, None, (), f"failed: {reason}")
    written = write_unit(outcome, out)
    return Row(job.origin, lang, outcome.report, outcome.result.problems, str(written["translation"]))


def _failed(row: Row, fail_on: str) -> bool:
    return row.report is None or bool(row.problems) or bool(exit_status(row.report, fail_on))


def summary_table(rows: Sequence[Row]) -> str:
    """Return the end-of-run table: one line per article and language."""
    lines = [f"{'article':<32} {'lang':<4} {'quotes ok':>9} {'findings':>8} {'problems':>8}  output"]
    for row in rows:
        s = row.report.summary if row.report else None
        ok = f"{s.ok}/{s.quotes}" if s else "-"
        findings = str(s.errors + s.warnings) if s else "-"
        name = Path(row.source).name[:32]
        lines.append(f"{name:<32} {row.lang:<4} {ok:>9} {findings:>8} {len(row.problems):>8}  {row.output}")
    return "\n".join(lines) + "\n"


def merge(review: Path, output: Path) -> None:
    """Write the target document of a reviewed aligner XLIFF to ``output``, atomically."""
    from aligner.report.bilingual import merge_target

    write_atomic(output, merge_target(review))


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
