"""The layer table in docs/architecture.md matches the imports: every module has a row, and
its module-level imports of mxnp go to its own layer or a lower one."""
import ast
import pathlib
import re

import mxnp

PACKAGE = pathlib.Path(mxnp.__file__).parent
DOC = PACKAGE.parent / "docs" / "architecture.md"


def _table() -> list:
    """``(layer, [path or folder/ ...])`` for each row of the layer table."""
    rows = []
    for line in DOC.read_text().splitlines():
        m = re.match(r"\| (\d+) \| (.*?) \|", line)
        if m:
            rows.append((int(m.group(1)), re.findall(r"`([^`]+)`", m.group(2))))
    return rows


def _layer(rel: str, rows) -> int:
    # the most specific entry decides: a subfolder's own row (contrib/svrg_optimization/, over
    # the Module) overrides its folder's
    found = [(len(p), layer) for layer, paths in rows for p in paths
             if rel == p or (p.endswith("/") and rel.startswith(p))]
    if found:
        return max(found)[1]
    raise AssertionError(f"mxnp/{rel} has no row in the layer table of docs/architecture.md")


def _file(module: str):
    """The file of an mxnp module name, or None when the name is not a module."""
    path = PACKAGE.joinpath(*module.split(".")[1:])
    for candidate in (path / "__init__.py", path.with_suffix(".py")):
        if candidate.is_file():
            return candidate.relative_to(PACKAGE).as_posix()
    return None


def _imports(path: pathlib.Path) -> set:
    """The mxnp files a module imports at its top level (function-local imports excluded)."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = rel.parts[:-1] if rel.name != "__init__" else rel.parts[:-1]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            base = list(package)[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            if not module.startswith("mxnp"):
                continue
            subs = [_file(f"{module}.{a.name}") for a in node.names]
            found.update(s for s in subs if s) if any(subs) else found.add(_file(module))
        elif isinstance(node, ast.Import):
            found.update(_file(a.name) for a in node.names if a.name.startswith("mxnp"))
    return found - {None}


def test_layer_table_matches_the_imports():
    rows = _table()
    assert len(rows) >= 7
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        own = _layer(rel, rows)
        for target in _imports(path):
            if _layer(target, rows) > own:
                wrong.append(f"{rel} (layer {own}) imports {target} "
                             f"(layer {_layer(target, rows)})")
    assert not wrong, "\n".join(wrong)
