"""sikt: kontrollerade, sökbara protokoll för ett kommunalt nätverk."""

from __future__ import annotations

DISTRIBUTION = "sikt-cli"
# what `sikt --version` says when sikt runs from a copy that was never installed
UNKNOWN_VERSION = "0.0.0+unknown"


def __getattr__(name: str) -> str:
    # PEP 562: the version is looked up on first use only, so that `sikt --help` does not
    # pay for importlib.metadata (about 17 ms) at start-up
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version(DISTRIBUTION)
    except PackageNotFoundError:
        found = UNKNOWN_VERSION
    globals()["__version__"] = found
    return found
