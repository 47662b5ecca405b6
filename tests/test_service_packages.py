"""The services' domain packages: an order among them, and a public surface each.

marketplace/services/<domain>/ groups the services by what they are about (shared, accounts,
catalogue, booking, payments, checkin, backoffice). The tests read every module's imports
(tests/test_layers.py builds the graph) and fail on
- a circle among the packages through module-level imports (booking -> payments -> booking),
- an import from another package of a module its `__init__` does not name in `__all__`,
- a private name (`_name`) taken from another module, by import or by attribute.
"""

import ast
import importlib

from tests.test_layers import MODULES, Edge, import_graph, strongly_connected

SERVICES = "marketplace.services"


def _package(module: str) -> str | None:
    """`booking` for marketplace.services.booking.bookings; None outside the domain packages."""
    parts = module.split(".")
    if len(parts) >= 3 and ".".join(parts[:2]) == SERVICES:
        return parts[2]
    return None


def package_graph(edges: list[Edge]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        source, target = _package(edge.importer), _package(edge.imported)
        if edge.module_level and source and target and source != target:
            graph.setdefault(source, set()).add(target)
            graph.setdefault(target, set())
    return graph


def package_circles(edges: list[Edge]) -> list[list[str]]:
    return [c for c in strongly_connected(package_graph(edges)) if len(c) > 1]


def surface_breaches(edges: list[Edge]) -> set[tuple[str, str]]:
    """(importer, module) for each import of a module its package keeps to itself."""
    found = set()
    for edge in edges:
        target = _package(edge.imported)
        if target is None or _package(edge.importer) == target:
            continue
        parts = edge.imported.split(".")
        if len(parts) < 4:  # the package itself
            continue
        public = importlib.import_module(".".join(parts[:3])).__all__
        if parts[3] not in public:
            found.add((edge.importer, edge.imported))
    return found


def private_reaches() -> set[tuple[str, str]]:
    """(module, name) for each `from x import _name` and `x._name` on an imported module of ours."""
    found = set()
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported_modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.add((name, alias.name))
                    imported_modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in imported_modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and f"{_owner(name, node.value.id)}" in MODULES
            ):
                found.add((name, f"{node.value.id}.{node.attr}"))
    return found


def _owner(importer: str, alias: str) -> str:
    """The dotted module an imported name stands for, when it is one of ours (best effort)."""
    for module in MODULES:
        if module.rpartition(".")[2] == alias:
            return module
    return ""


# -- tests ------------------------------------------------------------------------------------


def test_the_service_packages_import_each_other_in_one_direction():
    assert package_circles(import_graph()) == []


def test_the_packages_are_layered_as_documented():
    graph = package_graph(import_graph())
    order = ["shared", "accounts", "catalogue", "booking", "payments", "checkin", "backoffice"]
    for package, imported in graph.items():
        below = set(order[: order.index(package)])
        assert imported <= below, f"{package} imports {sorted(imported - below)}"


def test_other_packages_import_only_a_package_s_public_modules():
    assert sorted(surface_breaches(import_graph())) == []


def test_no_private_name_is_taken_from_another_module():
    assert sorted(private_reaches()) == []


def test_the_rules_catch_a_circle_and_a_breach():
    edges = [
        Edge(
            "marketplace.services.booking.bookings", "marketplace.services.payments.ledger", True, 1
        ),
        Edge(
            "marketplace.services.payments.ledger", "marketplace.services.booking.bookings", True, 1
        ),
        Edge("marketplace.web.public", "marketplace.services.booking.bookings_link", True, 1),
    ]
    assert package_circles(edges) == [["booking", "payments"]]
    assert surface_breaches(edges) == {
        ("marketplace.web.public", "marketplace.services.booking.bookings_link")
    }
