"""Layers: who may import whom inside the package, read from the source of every module.

web -> services -> models/gateways is the direction of calls; the rules below catch an import
going the other way, and a circle of module-level imports among the services (which only works
as long as the order of first imports happens to suit it). Imports inside functions count for
the direction rules (they are still a dependency) but not for circles (they run late).
"""

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import marketplace
from marketplace.services.shared import outbox

PACKAGE_DIR = Path(marketplace.__file__).parent


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    module_level: bool  # False: inside a function (runs when called)
    line: int


def _modules() -> dict[str, Path]:
    """Every module under marketplace/, by dotted name, with its file."""
    found = {"marketplace": PACKAGE_DIR / "__init__.py"}
    for info in pkgutil.walk_packages(marketplace.__path__, "marketplace."):
        spec = info.module_finder.find_spec(info.name, None)
        found[info.name] = Path(spec.origin)
    return found


MODULES = _modules()


def _resolve(base: str, name: str | None) -> str:
    """`from base import name`: the submodule when `name` is one, else the module `base`."""
    if name and f"{base}.{name}" in MODULES:
        return f"{base}.{name}"
    return base


def _function_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes that sit inside a function body."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            inside.update(
                id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)
            )
    return inside


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of imports under `if TYPE_CHECKING:`: they never run."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _edges_of(name: str, path: Path) -> list[Edge]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    in_function, type_only = _function_nodes(tree), _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names if a.name.startswith("marketplace")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            if base == "marketplace" or base.startswith("marketplace."):
                targets = [_resolve(base, a.name) for a in node.names]
        for target in targets:
            module_level = id(node) not in in_function
            edges.append(Edge(name, target, module_level, node.lineno))
    return edges


def import_graph() -> list[Edge]:
    return [edge for name, path in MODULES.items() for edge in _edges_of(name, path)]


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layer_violations(edges: list[Edge]) -> set[tuple[str, str]]:
    found = set()
    for edge in edges:
        lower = any(
            _in(edge.importer, f"marketplace.{layer}")
            for layer in ("services", "models", "gateways")
        )
        if lower and _in(edge.imported, "marketplace.web"):
            found.add((edge.importer, edge.imported))
        if _in(edge.importer, "marketplace.models") and _in(edge.imported, "marketplace.services"):
            found.add((edge.importer, edge.imported))
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; every component, singletons included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def service_circles(edges: list[Edge]) -> list[list[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if not edge.module_level or edge.importer == edge.imported:
            continue
        if _in(edge.importer, "marketplace.services") and _in(
            edge.imported, "marketplace.services"
        ):
            graph.setdefault(edge.importer, set()).add(edge.imported)
            graph.setdefault(edge.imported, set())
    return [c for c in strongly_connected(graph) if len(c) > 1]


#: imports against the layers that exist today; the test fails on any other. Shrink it, never
#: grow it: each entry is a service reaching up into the HTTP layer or a model into a service.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()

#: module-level import circles among the services that exist today (each a sorted list)
KNOWN_CIRCLES: list[list[str]] = []


# -- tests ------------------------------------------------------------------------------------


def test_every_module_imports():
    failures = {}
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # every failure listed, not just the first
            failures[name] = repr(exc)
    assert failures == {}


def test_no_new_import_against_the_layers():
    found = layer_violations(import_graph())
    assert sorted(found - KNOWN_VIOLATIONS) == []
    # an entry that no longer happens is taken off the list
    assert sorted(KNOWN_VIOLATIONS - found) == []


def test_no_new_circle_of_module_level_imports_among_services():
    circles = service_circles(import_graph())
    assert sorted(c for c in circles if c not in KNOWN_CIRCLES) == []
    assert sorted(c for c in KNOWN_CIRCLES if c not in circles) == []


def test_the_graph_sees_relative_absolute_and_late_imports():
    edges = {(e.importer, e.imported, e.module_level) for e in import_graph()}
    # `from .errors import ServiceError` in a service
    assert (
        "marketplace.services.payments.bank_statements",
        "marketplace.services.shared.errors",
        True,
    ) in edges
    # `from ..web.booking_access import booking_key` inside a function of a mail module
    assert ("marketplace.mailing.booking_mail", "marketplace.web.booking_access", False) in edges
    # `from marketplace.services.shared import outbox`-style imports resolve to the submodule
    assert _resolve("marketplace.services.shared", "outbox") == "marketplace.services.shared.outbox"


def test_the_rules_catch_upward_imports_and_module_level_circles():
    edges = [
        Edge("marketplace.services.a", "marketplace.web.forms", False, 1),
        Edge("marketplace.gateways.mail", "marketplace.web", True, 1),
        Edge("marketplace.models.user", "marketplace.services.a", True, 1),
        Edge("marketplace.web.forms", "marketplace.services.a", True, 1),
        Edge("marketplace.services.a", "marketplace.models.user", True, 1),
        Edge("marketplace.services.a", "marketplace.services.b", True, 1),
        Edge("marketplace.services.b", "marketplace.services.a", True, 1),
        Edge("marketplace.services.c", "marketplace.services.a", True, 1),
        Edge("marketplace.services.a", "marketplace.services.c", False, 1),  # late: no circle
    ]
    assert layer_violations(edges) == {
        ("marketplace.services.a", "marketplace.web.forms"),
        ("marketplace.gateways.mail", "marketplace.web"),
        ("marketplace.models.user", "marketplace.services.a"),
    }
    assert service_circles(edges) == [["marketplace.services.a", "marketplace.services.b"]]


def test_tarjan_finds_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert sorted(c for c in strongly_connected(graph) if len(c) > 1) == [["a", "b", "c"]]


# -- registration by name --------------------------------------------------------------------


def test_every_outbox_handler_module_imports_and_every_handler_is_listed():
    # the outbox finds its handlers by module name (importing them itself would be a circle)
    for name in outbox.HANDLER_MODULES:
        importlib.import_module(name)
    registering = set()
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    text = ast.unparse(decorator)
                    if text.startswith(("outbox.handles(", "handles(")):
                        registering.add(name)
    assert registering - {"marketplace.services.shared.outbox"} == set(outbox.HANDLER_MODULES)


def test_every_view_module_is_imported_by_name():
    # a view module nobody imports would add no routes; the package lists its modules by name
    for package in ("admin", "api", "host"):
        path = PACKAGE_DIR / "web" / package / "__init__.py"
        listed = {
            alias.name
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
            for alias in node.names
        }
        present = {info.name for info in pkgutil.iter_modules([str(path.parent)])}
        assert listed == present, package
    web_init = ast.parse((PACKAGE_DIR / "web" / "__init__.py").read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(web_init)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
        for alias in node.names
    }
    blueprints = {
        name.rpartition(".")[2]
        for name, path in MODULES.items()
        if name.count(".") == 2
        and name.startswith("marketplace.web.")
        and "Blueprint(" in path.read_text(encoding="utf-8")
    }
    assert blueprints <= imported
