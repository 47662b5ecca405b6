"""Adapters to outside payment and code formats: pure functions, no database."""
