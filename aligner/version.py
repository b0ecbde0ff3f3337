"""The installed version of aligner, on the ground floor so that any module can name it in a
signature without importing the package's public API (``aligner/__init__.py``)."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("aligner")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+unknown"
