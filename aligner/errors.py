"""The root error class and its subclasses; each builds the one-line message a user sees.

Library code raises these and never prints or exits; ``cli.py`` is the single place that
turns them into a message on stderr and an exit code (see ``ExitCode``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    FINDINGS = 1  # findings at or above --fail-on, or failed units in a batch
    USAGE = 2  # bad input, bad usage, unwritable output, or a missing model
    INTERNAL = 3  # any other exception: a bug, to be reported
    INTERRUPTED = 130


# Where an internal error should be reported (the project has no public tracker yet).
REPORT_TO = "the aligner maintainers, with the command line and the input"


class AlignerError(Exception):
    """Root of every error the package raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class PathError(AlignerError):
    """A file or folder the user named cannot be used: ``PATH: reason; hint``."""

    def __init__(self, path: Path | str, reason: str, hint: str = "") -> None:
        super().__init__(path, reason, hint)
        self.path = Path(path)
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        tail = f"; {self.hint}" if self.hint else ""
        return f"{self.path}: {self.reason}{tail}"


class InputError(PathError):
    """A file the user named cannot be used as input."""


class ArticleFormatError(InputError):
    """An article file is missing, empty, binary or not UTF-8."""


class OutputError(PathError):
    """An output file or folder cannot be written (or must not be replaced)."""


class ModelUnavailableError(AlignerError):
    """A translation model cannot be loaded (not cached, offline, or not installed)."""

    def __init__(self, model_id: str, reason: str, hint: str) -> None:
        super().__init__(model_id, reason, hint)
        self.model_id = model_id
        self.reason = reason
        self.hint = hint

    def __str__(self) -> str:
        return f"model {self.model_id}: {self.reason}; {self.hint}"


class EngineError(AlignerError):
    """A translation engine failed while translating: one of its worker processes raised or died."""

    def __init__(self, model_id: str, reason: str) -> None:
        super().__init__(model_id, reason)
        self.model_id = model_id
        self.reason = reason

    def __str__(self) -> str:
        return f"model {self.model_id}: translation failed: {self.reason}"


class DependencyMissingError(AlignerError):
    """An optional dependency is needed for the chosen option."""

    def __init__(self, feature: str, install: str) -> None:
        super().__init__(feature, install)
        self.feature = feature
        self.install = install

    def __str__(self) -> str:
        return f"{self.feature} needs an optional dependency; install it with: {self.install}"


class UsageError(AlignerError):
    """Options that cannot work together, or a value out of range."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@contextmanager
def while_reading(path: Path | str) -> Iterator[None]:
    """Tag any unexpected exception raised inside with the input ``path`` (as ``aligner_file``), so the
    CLI's internal-error line can say which file was being read."""
    try:
        yield
    except AlignerError:
        raise
    except Exception as exc:
        if not hasattr(exc, "aligner_file"):
            exc.aligner_file = str(path)  # type: ignore[attr-defined]
        raise
