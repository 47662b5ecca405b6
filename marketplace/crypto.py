"""Personal data encrypted at rest (passport numbers): Fernet, with key rotation.

Keys come from PASSPORT_KEYS (comma-separated Fernet keys, `Fernet.generate_key()`): the first
encrypts, every one decrypts (MultiFernet), so a new key goes first and the old one stays
listed until the rows it encrypted are gone: numbers are erased PASSPORT_RETENTION_DAYS after
departure, so an old key can be dropped that long after the new one came. Outside production, with no keys set, one is
derived from SECRET_KEY so development and tests need no setup; production refuses to start
without PASSPORT_KEYS (config.ProductionConfig.validate).
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator

#: every Fernet token starts with its version byte 0x80, "gAAAAA" in base64
TOKEN_PREFIX = "gAAAAA"


def development_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY: development and tests only."""
    digest = hashlib.sha256(b"passport-keys:" + (secret_key or "").encode()).digest()
    return base64.urlsafe_b64encode(digest)


def configured_keys(config) -> tuple[bytes, ...]:
    """The keys in force: PASSPORT_KEYS, else the development key (never in production)."""
    raw = config.get("PASSPORT_KEYS") or ""
    keys = tuple(k.strip().encode() for k in str(raw).split(",") if k.strip())
    if keys:
        return keys
    if config.get("ENV_NAME") == "production":
        raise RuntimeError("PASSPORT_KEYS must be set in production")
    return (development_key(config.get("SECRET_KEY") or ""),)


@lru_cache(maxsize=8)
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(configured_keys(current_app.config))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plain text; a value that is no Fernet token is a row written before encryption.

    Raises InvalidToken when it is a token that none of the keys opens (a key was dropped).
    """
    if not token.startswith(TOKEN_PREFIX):
        return token
    return fernet().decrypt(token.encode("ascii")).decode()


class EncryptedString(TypeDecorator):
    """A string column stored as a Fernet token; code reads and writes plain strings.

    Equality filters cannot work on it (each encryption differs); IS NULL does.
    """

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt(str(value))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt(value)


__all__ = ["EncryptedString", "InvalidToken", "decrypt", "encrypt"]
