"""Errors shared with MXNet code that catches them."""
from __future__ import annotations


class MXNetError(RuntimeError):
    """The error MXNet raises from its engine; code written for MXNet catches this name."""


class OpError(MXNetError, ValueError):
    """Bad input to an op (shapes, axes, values). Caught as MXNetError or as ValueError."""


class NotImplementedForSymbol(MXNetError):
    """A value read from an array inside a hybridized block's first (traced) call, as MXNet
    raises for its symbols: the replayed program could not follow value-dependent Python."""


class MissingFileError(MXNetError, FileNotFoundError):
    """A file an op must read is absent. Caught as MXNetError (MXNet's type) or as
    FileNotFoundError."""


__all__ = ["MXNetError", "OpError", "MissingFileError", "NotImplementedForSymbol"]
