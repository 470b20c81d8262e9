"""``mx.log``: loggers that print MXNet's glog-style lines (``I1204 14:08:17 29308 file:func:3]
message``, the level letter coloured on the terminal)."""
from __future__ import annotations

import logging
import warnings

__all__ = ["CRITICAL", "DEBUG", "ERROR", "INFO", "NOTSET", "WARNING", "getLogger", "get_logger"]

CRITICAL, ERROR, WARNING = logging.CRITICAL, logging.ERROR, logging.WARNING
INFO, DEBUG, NOTSET = logging.INFO, logging.DEBUG, logging.NOTSET

_LETTERS = {CRITICAL: "C", ERROR: "E", WARNING: "W", INFO: "I", DEBUG: "D"}


class _Formatter(logging.Formatter):
    """Level letter, date, process, place, then the message (MXNet's layout)."""

    def __init__(self, colored: bool = True):  # noqa: FBT001, FBT002 - MXNet's signature
        super().__init__(datefmt="%m%d %H:%M:%S")
        self.colored = colored

    def format(self, record) -> str:
        level = record.levelno
        color = "\x1b[31m" if level >= WARNING else "\x1b[32m" if level >= INFO else "\x1b[34m"
        head = (_LETTERS.get(level, "U") +
                "%(asctime)s %(process)d %(pathname)s:%(funcName)s:%(lineno)d")
        self._style._fmt = (f"{color}{head}]\x1b[0m" if self.colored else f"{head}]") + \
            " %(message)s"
        return super().format(record)


def get_logger(name=None, filename=None, filemode=None, level=WARNING) -> logging.Logger:
    """The logger ``name`` at ``level``, given a handler once: to ``filename`` if given (plain
    messages), else to stderr with MXNet's coloured glog-style lines. The root logger
    (``name=None``) is returned as it is."""
    logger = logging.getLogger(name)
    if name is not None and not getattr(logger, "_mxnp_formatted", False):
        logger._mxnp_formatted = True
        if filename:  # plain messages in a file, as MXNet writes them
            handler = logging.FileHandler(filename, filemode or "a")
        else:
            handler = logging.StreamHandler()
            handler.setFormatter(_Formatter())
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger


def getLogger(name=None, filename=None, filemode=None, level=WARNING):  # noqa: N802
    """Deprecated name of ``get_logger`` (MXNet warns the same way)."""
    warnings.warn("getLogger is deprecated, Use get_logger instead.", DeprecationWarning,
                  stacklevel=2)
    return get_logger(name, filename, filemode, level)
