"""The optional compiled core (see mxnp/_native.py): the hot-path modules compiled by Cython,
and mxnp/_libm.pyx.

Everything else is in pyproject.toml. Where Cython or a C compiler is missing, or a module
fails to compile, the build goes on and installs the pure-Python package.
"""
import binascii
import os

from setuptools import setup
from setuptools.command.build_ext import build_ext

COMPILED = ("mxnp._tape", "mxnp._ops.primitive", "mxnp._ops.elementwise", "mxnp._ndarray",
            "mxnp.autograd")  # as mxnp/_native.py lists them
LIBM = os.path.join("mxnp", "_libm.pyx")  # the C library's float functions (mxnp/_libm.pyx)


def _path(name):
    return os.path.join(*name.split(".")) + ".py"


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    extensions = []
    for source in [_path(n) for n in COMPILED] + [LIBM]:  # one at a time: a module Cython
        try:  # cannot translate is skipped alone, and runs as Python (or, _libm, not at all)
            extensions += cythonize([source], quiet=True,
                                    compiler_directives={"language_level": 3, "binding": True})
        except Exception as e:  # noqa: BLE001 - any failure leaves that module uncompiled
            print(f"mxnp: {source} is not compiled ({e})")
    for ext in extensions:
        ext.optional = True  # a compiler error skips the module, never the install
        if ext.name == "mxnp._libm" and os.name != "nt":
            # each product and sum rounded on its own, as MXNet's kernels round them: no fused
            # multiply-add where a -march allows one
            ext.extra_compile_args = ["-ffp-contract=off"]
    return extensions


class BuildExt(build_ext):
    """Builds what compiles, then records the source checksum of each module it built."""

    def run(self):
        super().run()
        hashes = {}
        for name in COMPILED:
            if os.path.exists(self.get_ext_fullpath(name)):
                with open(_path(name), "rb") as f:  # as _native.source_hash computes it
                    hashes[name] = format(binascii.crc32(f.read()), "08x")
        target = os.path.join(os.path.dirname(self.get_ext_fullpath("mxnp._tape")),
                              "_native_hashes.py")
        if "mxnp" not in target.split(os.sep):  # _tape is mxnp/_tape: its folder is mxnp
            return
        with open(target, "w") as f:
            f.write('"""Written by setup.py: the source checksum of each compiled module."""\n'
                    f"HASHES = {hashes!r}\n")


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildExt})
