"""Downloads and drawings built from what the services return: CSV, XLSX and SVG.

The services hand over rows and dataclasses; the file formats (headers, encodings, cell safety,
sheet layout) and the markup live here, next to the views that serve them.
"""
