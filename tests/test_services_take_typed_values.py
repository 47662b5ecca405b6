"""Services take typed values: a page reads its form, a service never sees a request or a MultiDict.

Read from the source of every module under `marketplace/services`: a function may not take a
parameter named `form` or annotated as a request, a form or a MultiDict, nor call `.getlist()` /
`.to_dict()` on one of its parameters; no module imports `werkzeug.datastructures` or Flask's
`request`.
"""

import ast
import re
from pathlib import Path

SERVICES_DIR = Path(__file__).resolve().parent.parent / "marketplace" / "services"
#: names in a parameter's annotation that say it is a request or a posted form
FORM_TYPES = {
    "MultiDict",
    "ImmutableMultiDict",
    "CombinedMultiDict",
    "Request",
    "FlaskForm",
    "Form",
    "werkzeug",
}
FORM_METHODS = ("getlist", "to_dict")


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    args = function.args
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return found + [a for a in (args.vararg, args.kwarg) if a is not None]


def _own_nodes(function):
    """The nodes of `function`'s body, without those of functions defined inside it."""
    todo = list(function.body)
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                todo.append(child)


def problems_of(source: str, name: str = "<source>") -> list[str]:
    """Every breach of the rule in one module's source, as `name:line: what`."""
    found = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("werkzeug.datastructures"):
                    found.append(f"{name}:{node.lineno}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module.startswith("werkzeug.datastructures") or (
                module == "werkzeug" and "datastructures" in names
            ):
                found.append(f"{name}:{node.lineno}: imports werkzeug.datastructures")
            if module == "flask" and "request" in names:
                found.append(f"{name}:{node.lineno}: imports flask's request")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "request"
            and isinstance(node.value, ast.Name)
            and node.value.id == "flask"
        ):
            found.append(f"{name}:{node.lineno}: reads flask.request")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += _function_problems(node, name)
    return found


def _function_problems(function, name: str) -> list[str]:
    found = []
    parameters = _parameters(function)
    for arg in parameters:
        annotation = ast.unparse(arg.annotation) if arg.annotation is not None else ""
        if arg.arg == "form" or FORM_TYPES & set(re.findall(r"\w+", annotation)):
            found.append(f"{name}:{function.lineno}: {function.name}() takes `{arg.arg}`")
    names = {arg.arg for arg in parameters}
    for node in _own_nodes(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FORM_METHODS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in names
        ):
            found.append(
                f"{name}:{node.lineno}: {function.name}() calls "
                f"{node.func.value.id}.{node.func.attr}()"
            )
    return found


def test_no_service_takes_a_request_or_a_form():
    modules = sorted(SERVICES_DIR.rglob("*.py"))
    assert len(modules) > 50  # the services were found
    found = []
    for path in modules:
        relative = path.relative_to(SERVICES_DIR.parent.parent).as_posix()
        found += problems_of(path.read_text(encoding="utf-8"), relative)
    assert found == []


def test_the_rule_catches_each_way_in():
    source = """
import werkzeug.datastructures
from werkzeug.datastructures import MultiDict
from flask import current_app, request
import flask


def takes_form(listing, form):
    return form.get("title")


def annotated(data: MultiDict, other: "ImmutableMultiDict | None" = None, ask: StayRequest = None):
    return data, ask


def reads_lists(data, extra):
    picked = data.getlist("night")
    return picked, extra.to_dict()


def reads_request():
    return flask.request.form


def fine(statement, values: dict, formats: list):
    rows = load(statement)
    return rows.to_dict(), values.get("x"), formats
"""
    found = problems_of(source)
    assert sorted(line.split(": ", 1)[1] for line in found) == sorted(
        [
            "imports werkzeug.datastructures",
            "imports werkzeug.datastructures",
            "imports flask's request",
            "takes_form() takes `form`",
            "annotated() takes `data`",
            "annotated() takes `other`",
            "reads_lists() calls data.getlist()",
            "reads_lists() calls extra.to_dict()",
            "reads flask.request",
        ]
    )
