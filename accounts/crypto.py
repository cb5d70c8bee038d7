"""Secrets kept at rest (bot accounts' passwords and sessions, Zoom tokens): encrypted with Fernet.

The keys come from NOTULA_ENCRYPTION_KEYS (comma-separated Fernet keys, the first encrypts, all
decrypt: add a new key in front to rotate, re-save, then drop the old one). Without it, one key is
derived from NOTULA_SECRET_KEY, which is fine for a demo and means that changing the secret key loses
the stored secrets.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """A stored secret that none of the keys decrypts (the keys changed)."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"notula-secrets:{secret_key}".encode()).digest())
        keys = (derived.decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS), settings.SECRET_KEY)


def secret_encrypt(plain: str) -> str:
    return _keys().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("A stored secret could not be decrypted: were NOTULA_ENCRYPTION_KEYS changed?") from exc
