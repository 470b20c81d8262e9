"""MXNet 1.9.1's small top-level modules: mx.log's glog-style lines (as mxref shows them),
mx.error's classes and registry, and the aliases mx.img, mx.rnd, mx.executor."""
import logging
import re

import pytest

import mxnp as mx


def test_get_logger_prints_mxnets_line_once_per_logger(capsys):
    logger = mx.log.get_logger("mxnp_test_log", level=logging.INFO)
    assert mx.log.get_logger("mxnp_test_log") is logger and len(logger.handlers) == 1
    logger.info("hello")
    logger.propagate = False
    err = capsys.readouterr().err
    # MXNet 1.9.1: "\x1b[32mI1204 14:08:17 29308 <cell>:<module>:5]\x1b[0m hello"
    assert re.search(r"\x1b\[32mI\d{4} \d\d:\d\d:\d\d \d+ \S+test_small_namespaces\.py:"
                     r"test_get_logger_prints_mxnets_line_once_per_logger:\d+\]\x1b\[0m hello",
                     err), err


def test_a_file_logger_writes_plain_messages(tmp_path):
    path = tmp_path / "run.log"
    logger = mx.log.get_logger("mxnp_test_file_log", filename=str(path))
    logger.propagate = False
    logger.warning("careful")
    for h in logger.handlers:
        h.close()
    assert path.read_text() == "careful\n"


def test_getlogger_is_deprecated():
    with pytest.warns(DeprecationWarning, match="getLogger is deprecated"):
        assert mx.log.getLogger("mxnp_test_old").level == logging.WARNING


def test_error_classes_and_registry():
    assert issubclass(mx.error.InternalError, mx.base.MXNetError)
    assert mx.error.MXNetError is mx.base.MXNetError

    @mx.error.register
    class MyError(ValueError):
        pass

    assert mx.error.register_error("Other")(KeyError) is KeyError
    assert mx.error._ERRORS["MyError"] is MyError and mx.error._ERRORS["Other"] is KeyError


def test_aliases_are_the_modules():
    assert mx.img is mx.image and mx.rnd is mx.random
    assert mx.executor.Executor is mx.sym.Executor


def test_contrib_ndarray_and_symbol_are_the_contrib_namespaces():
    # MXNet: mx.contrib.ndarray / .nd is mx.nd.contrib, mx.contrib.symbol / .sym mx.sym.contrib
    assert mx.contrib.ndarray.CTCLoss is mx.nd.contrib.CTCLoss
    assert mx.contrib.nd is mx.contrib.ndarray and mx.contrib.sym is mx.contrib.symbol
    assert mx.contrib.symbol.ctc_loss(mx.sym.Variable("a"), mx.sym.Variable("b")).name
