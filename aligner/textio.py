"""Read input text safely and write output atomically, never outside the chosen directory.

Inputs are read up to a size limit (``--max-bytes``) so a huge file is refused at once rather than
parsed for minutes. Outputs are written through a temporary file in the same folder that is renamed
into place, with the mode ``open()`` would give (0666 less the umask; an existing file keeps its
mode), and made durable (the file and then its folder are fsynced). ``write_output`` also writes
through to a character device or FIFO (``/dev/null``, ``/dev/stdout``) instead of replacing it. The
``check_output_*`` functions find an unwritable output before any expensive work starts. Every
failure to write is an ``OutputError`` naming the path.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aligner.errors import ArticleFormatError, InputError, OutputError

_BOM = "\ufeff"
# Control characters that never occur in an article: NUL and the C0 range bar tab, LF, CR, FF.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f]")
# An id made safe for a file name: "AP/2024: Kim's speech" -> "AP_2024_Kim_s_speech".
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def decode_text(data: bytes, path: Path | str) -> str:
    """Decode article bytes as UTF-8, drop a BOM, keep line endings.

    Raises:
        ArticleFormatError: empty, binary or not UTF-8.
    """
    if not data.strip():
        raise ArticleFormatError(path, "the file is empty", "give an article with text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleFormatError(
            path,
            f"not valid UTF-8 (byte {exc.start})",
            "convert it, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from None
    if _BINARY.search(text):
        raise ArticleFormatError(path, "looks like binary data, not text", "give a .txt article")
    text = text.removeprefix(_BOM)
    if not text.strip():
        raise ArticleFormatError(path, "the file is empty", "give an article with text")
    return text


# The default of --max-bytes: an article (or a translation) larger than this is refused.
DEFAULT_MAX_BYTES = 2_000_000
# The free space an output folder needs before any work starts (a run's files are far smaller).
MIN_FREE_BYTES = 8 * 1024 * 1024
# Paths that name this process's own streams: written through, never replaced.
_STREAM_ALIASES = ("/dev/stdout", "/dev/stderr")
_STREAM_PREFIXES = ("/dev/fd/", "/proc/self/fd/")


def too_large(origin: Path | str, size: int, max_bytes: int) -> ArticleFormatError:
    """The error for an input over the ``--max-bytes`` limit."""
    return ArticleFormatError(
        origin,
        f"is {size:,} bytes, over the limit of {max_bytes:,}",
        "split it, or raise --max-bytes (0 = no limit)",
    )


def read_text(path: Path, max_bytes: int = 0) -> str:
    """Read an article file as text (see ``decode_text``), refusing more than ``max_bytes`` (0: no limit)
    without reading the rest.

    Raises:
        ArticleFormatError: missing, a directory, unreadable, too large, empty, binary or not UTF-8.
    """
    if path.is_dir():
        raise ArticleFormatError(path, "is a directory", "give a text file")
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if max_bytes and size > max_bytes:
                raise too_large(path, size, max_bytes)
            data = handle.read(max_bytes + 1) if max_bytes else handle.read()
    except FileNotFoundError:
        raise ArticleFormatError(path, "no such file", "check the path") from None
    except OSError as exc:
        raise ArticleFormatError(path, f"cannot be read ({exc.strerror})", "check permissions") from None
    if max_bytes and len(data) > max_bytes:  # a pipe or device: its size is known only by reading
        raise too_large(path, len(data), max_bytes)
    return decode_text(data, path)


def _umask() -> int:
    """The process umask, read without changing it where Linux shows it (else set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_mode(path: Path) -> int:
    """The mode ``open()`` would leave: an existing regular file's own, else 0666 less the umask."""
    try:
        info = os.lstat(path)
    except OSError:
        return 0o666 & ~_umask()
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o666 & ~_umask()


_REASONS = {
    errno.EACCES: ("cannot be written (permission denied)", "choose a writable folder"),
    errno.EPERM: ("cannot be written (operation not permitted)", "choose a writable folder"),
    errno.EROFS: ("cannot be written (read-only file system)", "choose a writable folder"),
    errno.ENOSPC: (
        "cannot be written (no space left on the device)",
        "free some space or choose another folder",
    ),
    errno.EDQUOT: ("cannot be written (disk quota exceeded)", "free some space or choose another folder"),
    errno.EISDIR: ("is a directory", "give a file name"),
    errno.ENOTDIR: ("cannot be written (a parent is not a folder)", "choose another path"),
}


def output_error(path: Path, exc: OSError) -> OutputError:
    """Turn an ``OSError`` met while writing ``path`` into the one-line ``OutputError``."""
    reason, hint = _REASONS.get(
        exc.errno or 0, (f"cannot be written ({exc.strerror or exc})", "check the path")
    )
    where = exc.filename
    if where is not None and Path(where) != path and not str(where).startswith(f"{path.parent}/."):
        reason = f"{reason} at {where}"
    return OutputError(path, reason, hint)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable; file systems that cannot fsync a folder are skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename,
    so that a reader or a crash never sees a half-written file.

    The file gets the mode ``open()`` would give (0666 less the umask; an existing file keeps its
    mode), and it and its folder are fsynced, so the new content survives a power cut.

    Raises:
        OutputError: the folder cannot be made or written, the disk is full, or ``path`` is a directory.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise output_error(path, exc) from None
    try:
        try:
            os.fchmod(fd, _new_mode(path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(raw)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    except OSError as exc:
        raise output_error(path, exc) from None


def _is_stream(path: Path) -> bool:
    """True for a character device or FIFO (followed through links) or an alias of our own streams."""
    name = str(path)
    if name in _STREAM_ALIASES or name.startswith(_STREAM_PREFIXES):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def check_output_file(path: Path, min_free: int = MIN_FREE_BYTES) -> bool:
    """Check, before any work, that ``path`` can take an output file; return True when it is a stream
    (a character device, a FIFO, ``/dev/stdout``) to write through.

    A regular file is replaced; a new path is created (with its folders). Refused: a directory, a
    symbolic link (but to a device or FIFO), any other special file, a parent that is a file or cannot
    be written, a device with less than ``min_free`` bytes free.

    Raises:
        OutputError: one of the refusals above.
    """
    if _is_stream(path):
        return True
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise output_error(path, exc) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise OutputError(path, "is a symbolic link", "give the real file's path, or a new one")
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(path, "is a directory", "give a file name")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(path, "is not a regular file", "give a file name")
    _check_folder_writable(path, path.parent, min_free)
    return False


def check_output_folder(folder: Path, min_free: int = MIN_FREE_BYTES) -> None:
    """Check, before any work, that ``folder`` is (or can be made) a writable folder with room.

    Raises:
        OutputError: it is a file, it or its nearest existing parent cannot be written, or the
            device has less than ``min_free`` bytes free.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputError(folder, "is a file, not a folder", "give a folder for the outputs")
    _check_folder_writable(folder, folder, min_free)


def _check_folder_writable(path: Path, folder: Path, min_free: int) -> None:
    existing = folder.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(path, f"cannot be written ({existing} is not a folder)", "choose another path")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(path, f"cannot be written ({existing} is not writable)", "choose a writable folder")
    if min_free:
        free = shutil.disk_usage(existing).free
        if free < min_free:
            raise OutputError(
                path,
                f"cannot be written (only {free:,} bytes free on its device)",
                "free some space or choose another folder",
            )


def write_output(path: Path, data: str | bytes) -> None:
    """Write one output file: atomically (see ``write_atomic``), or straight through to a character
    device or FIFO such as ``/dev/null`` or ``/dev/stdout`` (appending, never replacing it).

    Raises:
        OutputError: see ``check_output_file`` and ``write_atomic``.
    """
    if not check_output_file(path, min_free=0):
        write_atomic(path, data)
        return
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise output_error(path, exc) from None


def clip(text: str, width: int = 60) -> str:
    """Return ``text`` on one line, cut to ``width`` characters with an ellipsis, for messages:
    ``clip("a\n b", 60) == "a b"``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def safe_name(name: str, default: str = "article") -> str:
    """Return ``name`` reduced to a safe file-name stem (no separators, no dot-dot)."""
    stem = _UNSAFE_NAME.sub("_", name).strip("._")
    return stem[:120] or default


# A trailing source-language tag on an input name: "nk-soldier.en" -> "nk-soldier", so that
# "nk-soldier.en.txt" gives "nk-soldier.ko.txt" wherever it is translated.
SOURCE_TAG = ".en"


def unique_stems(bases: Sequence[str]) -> list[str]:
    """Return a safe, unique output stem per input name, in order: the source-language tag dropped,
    unsafe characters replaced, and "a", "a-2", ... where two names meet (ignoring case)."""
    taken: set[str] = set()
    out = []
    for base in bases:
        first = safe_name(base.removesuffix(SOURCE_TAG))
        stem, n = first, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{first}-{n}"
        taken.add(stem.lower())
        out.append(stem)
    return out


def inside(root: Path, relative: str) -> Path:
    """Return ``root / relative``, refusing any path that would land outside ``root``.

    Raises:
        InputError: the resolved path escapes ``root``.
    """
    base = root.resolve()
    target = (base / relative).resolve()
    if target != base and base not in target.parents:
        raise InputError(relative, "would be written outside the output directory", "rename it")
    return target
