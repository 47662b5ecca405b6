"""Services return data; CSV, XLSX, JSON, SVG and HTML answers are built in the web layer.

Reads the source of every module under marketplace/services and fails on a module that
- imports `csv` or `openpyxl` (writing a file),
- uses `io.StringIO` (text written for output),
- takes flask's `jsonify`, `render_template`, `request` or `make_response` (an HTTP answer, or
  the request itself),
- contains "<svg" (markup).
The downloads and charts live in marketplace/web/exports/. What a service may keep is listed in
ALLOWED, each with its reason; an allowance no longer needed fails too, so the list stays short.
"""

import ast

from tests.test_layers import MODULES

SERVICES = "marketplace.services"
FILE_MODULES = ("csv", "openpyxl")
FLASK_NAMES = ("jsonify", "render_template", "request", "make_response")

#: (module, finding) -> why the service may keep it
ALLOWED = {
    (
        "marketplace.services.payments.bank_statements",
        "csv",
    ): "reads the bank statement the clerk uploads (parsing input, not building a file)",
    (
        "marketplace.services.payments.bank_statements",
        "openpyxl",
    ): "reads the statement workbook the clerk uploads (load_workbook, read only)",
    (
        "marketplace.services.payments.bank_statements",
        "io.StringIO",
    ): "hands the uploaded statement's text to csv.reader",
}


def findings(source: str) -> set[str]:
    """What in this source builds a file, markup or an HTTP answer."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in FILE_MODULES:
                    found.add(top)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            top = (node.module or "").split(".")[0]
            names = {alias.name for alias in node.names}
            if top in FILE_MODULES:
                found.add(top)
            if node.module == "io" and "StringIO" in names:
                found.add("io.StringIO")
            if top == "flask":
                found.update(f"flask.{name}" for name in names if name in FLASK_NAMES)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "io" and node.attr == "StringIO":
                found.add("io.StringIO")
            if node.value.id == "flask" and node.attr in FLASK_NAMES:
                found.add(f"flask.{node.attr}")
    if "<svg" in source.lower():
        found.add("<svg")
    return found


def service_findings() -> set[tuple[str, str]]:
    """(module, finding) for every module under marketplace/services."""
    return {
        (name, finding)
        for name, path in MODULES.items()
        if name == SERVICES or name.startswith(SERVICES + ".")
        for finding in findings(path.read_text(encoding="utf-8"))
    }


def test_no_service_builds_a_file_markup_or_an_http_answer():
    found = service_findings()
    assert sorted(found - ALLOWED.keys()) == []


def test_every_allowance_is_still_needed():
    found = service_findings()
    assert sorted(ALLOWED.keys() - found) == []


def test_the_check_sees_every_way_in():
    assert findings("import csv\nfrom openpyxl.styles import Font\n") == {"csv", "openpyxl"}
    assert findings("import openpyxl.utils\n") == {"openpyxl"}
    assert findings("from io import StringIO\n") == {"io.StringIO"}
    assert findings("import io\nout = io.StringIO()\n") == {"io.StringIO"}
    assert findings("from flask import current_app, jsonify, request\n") == {
        "flask.jsonify",
        "flask.request",
    }
    assert findings("import flask\nflask.render_template('x')\nflask.make_response()\n") == {
        "flask.render_template",
        "flask.make_response",
    }
    assert findings("parts = ['<SVG viewBox=\"0 0 1 1\">']\n") == {"<svg"}
    # what services do need stays allowed: the app's settings, bytes of an image
    assert findings("import io\nfrom flask import current_app\nbuffer = io.BytesIO()\n") == set()
