"""What a plain ``import mxnp`` loads: the core, not the rarely used families.

Users of ``mxnp run`` pay the import in every process, so detection, images, polynomials,
einsum, text files and the vector samplers load on first use, while every public name
stays in ``dir()`` and ``__all__``.
"""
import ast
import importlib
import json
import pathlib
import subprocess
import sys

import pytest


LAZY_FAMILIES = {
    "mxnp._ops.image", "mxnp._ops.image.detection", "mxnp._ops.image.io",
    "mxnp._ops.image.transforms",
    "mxnp._ops.random.sampling",
    "mxnp.image", "mxnp.numpy_extension.image", "mxnp.random", "mxnp.test_utils",
    "mxnp.testing", "mxnp.util",
    "mxnp.callback", "mxnp.io", "mxnp.module",
}
# the standard library's heavier modules that nothing in the core needs at import
HEAVY = {"cupy", "importlib.abc", "dataclasses"}
NAMESPACES = ["mxnp", "mxnp.numpy.random",
              "mxnp.numpy_extension", "mxnp.numpy_extension.random"]


def _loaded_by_import() -> set:
    code = ("import json, sys\nbefore = set(sys.modules)\nimport mxnp\n"
            "print(json.dumps(sorted(set(sys.modules) - before)))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


def test_plain_import_loads_no_rarely_used_family():
    loaded = _loaded_by_import()
    assert "mxnp._ops.elementwise" in loaded and "mxnp.autograd" in loaded
    assert loaded & LAZY_FAMILIES == set()
    assert loaded & HEAVY == set()
    # the decompositions stay: ndarray.norm (bound at the seam) needs svd for 2-norms


@pytest.mark.parametrize("name", NAMESPACES)
def test_lazy_names_are_listed_and_resolve(name):
    namespace = importlib.import_module(name)
    lazy = namespace._LAZY
    assert set(lazy) <= set(dir(namespace))
    for attr in lazy:
        assert getattr(namespace, attr) is not None
        assert attr in vars(namespace)  # stored: later uses are plain lookups
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        namespace.not_a_name  # noqa: B018


def test_public_lists_name_only_what_resolves():
    for name in NAMESPACES:
        namespace = importlib.import_module(name)
        for attr in getattr(namespace, "__all__", ()):
            assert hasattr(namespace, attr), f"{name}.{attr}"


@pytest.mark.parametrize("name", NAMESPACES)
def test_static_tools_see_every_lazy_name(name):
    """The ``if TYPE_CHECKING:`` imports (what IDEs and type checkers read) list _LAZY's names."""
    namespace = importlib.import_module(name)
    seen = set()
    for node in ast.parse(pathlib.Path(namespace.__file__).read_text()).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            seen.update(a.asname or a.name for imp in node.body for a in imp.names)
    assert seen == set(namespace._LAZY)
