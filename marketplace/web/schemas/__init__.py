"""Pydantic models of the JSON API's requests and answers.

The API views validate their input with them (through `web/api/openapi.py`) and the OpenAPI
document at /api/v1/openapi.json is generated from them. Answer models describe the contract of
/work/shared/API.md: they allow more fields than they name (fields may be added, never renamed).
"""
