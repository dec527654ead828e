"""The package structure as docs/architecture.md writes it: layers imported only downwards, no
cycle between packages, `ingest` imported only by the packages the document names, and the
store's files opened only by the store.

The layer table and the list of `ingest`'s importers are parsed from the document, so the
document and this test cannot drift: moving a package means editing the document.
"""

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "robotwork"
DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
_LAYER_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`([a-z_]+)`\s*\|", re.MULTILINE)
_INGEST_LINE = re.compile(r"^\*\*Who imports `ingest`\*\*:(.*)$", re.MULTILINE)


def documented_layers() -> dict[str, int]:
    """Package -> layer number (1 is the top) from the layer table of docs/architecture.md."""
    layers = {package: int(layer) for layer, package in _LAYER_ROW.findall(DOC.read_text())}
    assert layers, "docs/architecture.md has no layer table (rows like '| 3 | `read` | ... |')"
    return layers


def documented_ingest_importers() -> set[str]:
    """The packages docs/architecture.md allows to import `ingest`."""
    [line] = _INGEST_LINE.findall(DOC.read_text())
    return set(re.findall(r"`([a-z_]+)`", line))


def package_of(module: str) -> str | None:
    """The first-level package (or top-level module) of a dotted robotwork module name."""
    parts = module.split(".")
    return parts[1] if parts[0] == "robotwork" and len(parts) > 1 else None


def module_name(path: Path) -> str:
    """Dotted name of a source file (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every module the source file of `module` imports (at the top, in functions, under
    TYPE_CHECKING alike), relative imports resolved, with the line of the import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    here = module.split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module == "robotwork":  # from robotwork import cluster
                yield from ((f"robotwork.{alias.name}", node.lineno) for alias in node.names)
            else:
                yield module, node.lineno


@cache
def package_imports() -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> where ("file:line"), between different packages."""
    edges: dict[tuple[str, str], list[str]] = {}
    known = packages()  # `from robotwork import __version__` names no package
    for path in sorted(SRC.rglob("*.py")):
        name = module_name(path)
        source = package_of(name)
        if source is None:  # robotwork/__init__.py
            continue
        for module, line in imported_modules(path, name):
            target = package_of(module)
            if target in known and target != source:
                edges.setdefault((source, target), []).append(f"{path.relative_to(SRC)}:{line}")
    return edges


@cache
def packages() -> frozenset[str]:
    """Every first-level package and top-level module of src/robotwork."""
    names = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    return frozenset(names | {p.stem for p in SRC.glob("*.py") if p.name != "__init__.py"})


def find_cycle(edges: set[tuple[str, str]]) -> list[str] | None:
    """One cycle of the package graph as a path (first package repeated at the end), or None."""
    graph: dict[str, list[str]] = {}
    for source, target in sorted(edges):
        graph.setdefault(source, []).append(target)
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_package_has_a_documented_layer() -> None:
    layers = documented_layers()
    assert sorted(packages() - set(layers)) == [], "add these to the layer table of docs/architecture.md"
    assert sorted(set(layers) - packages()) == [], "docs/architecture.md names packages that do not exist"


def test_imports_go_down_the_layers_only() -> None:
    layers = documented_layers()
    upward = [
        f"{source} (layer {layers[source]}) imports {target} (layer {layers[target]}) at {', '.join(where)}"
        for (source, target), where in sorted(package_imports().items())
        if source in layers and target in layers and layers[target] <= layers[source]
    ]
    assert upward == []


def test_no_cycle_between_packages() -> None:
    edges = package_imports()
    cycle = find_cycle(set(edges))
    steps = [] if cycle is None else list(zip(cycle, cycle[1:], strict=False))
    assert cycle is None, "; ".join(f"{a} imports {b} at {', '.join(edges[a, b])}" for a, b in steps)


def test_only_the_documented_packages_import_ingest() -> None:
    allowed = documented_ingest_importers()
    importers = {source for source, target in package_imports() if target == "ingest"}
    assert sorted(importers - allowed) == []
    assert allowed <= packages()


def test_only_the_store_opens_its_files() -> None:
    """Outside `store`, telemetry is read through `robotwork.store.read`, not the store's own
    Arrow filesystem, so local folders and S3 stay the store's business."""
    reaching = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[0] != "store"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "arrow_fs"
    ]
    assert reaching == []


def test_the_walk_sees_every_kind_of_import_and_finds_cycles(tmp_path: Path) -> None:
    """The checks above would pass vacuously if the walk missed imports or cycles."""
    source = tmp_path / "views.py"
    source.write_text(
        "import robotwork.store.read\n"
        "from robotwork import cluster\n"
        "from ..evidence import rollup\n"
        "from . import models\n"
        "def figure():\n"
        "    from robotwork.ingest import jobs\n"
        "    if True:\n"
        "        import robotwork.live.view\n"
    )
    assert sorted(imported_modules(source, "robotwork.read.views")) == [
        ("robotwork.cluster", 2),
        ("robotwork.evidence", 3),
        ("robotwork.ingest", 6),
        ("robotwork.live.view", 8),
        ("robotwork.read", 4),
        ("robotwork.store.read", 1),
    ]
    edges = package_imports()
    assert ("web", "evidence") in edges and ("evidence", "store") in edges
    assert find_cycle({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == ["a", "b", "c", "a"]
    assert find_cycle({("a", "b"), ("b", "c"), ("a", "c")}) is None
