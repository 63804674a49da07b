"""Encrypting secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256).

Two secrets must be kept recoverable, so they are encrypted rather than hashed:
identity-provider client secrets and webhook signing secrets.

Keys come from STEWARD_SECRET_KEY (server/auth/secret_key.py builds the box).
Several comma-separated keys may be given: the first encrypts, all decrypt, so a
key is rotated by prepending a new one and re-saving the providers and the
webhook at leisure.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


class SecretKeyError(ValueError):
    """A key is not a Fernet key (32 url-safe base64-encoded bytes)."""


class UndecryptableSecretError(RuntimeError):
    """The stored secret was encrypted under a key that is no longer configured."""


class SecretBox:
    """Encrypts and decrypts short secrets; the plaintext never reaches the database."""

    def __init__(self, keys: Sequence[str | bytes]) -> None:
        if not keys:
            raise SecretKeyError("at least one key is required")
        fernets: list[Fernet] = []
        for key in keys:
            try:
                fernets.append(Fernet(key))
            except (ValueError, TypeError) as exc:
                raise SecretKeyError(
                    "each key must be 32 url-safe base64-encoded bytes "
                    '(python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())")'
                ) from exc
        self._box = MultiFernet(fernets)

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        """A box from a comma-separated list of keys, newest first."""
        return cls([part.strip() for part in value.split(",") if part.strip()])

    def encrypt(self, plaintext: str) -> str:
        return self._box.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._box.decrypt(token.encode("ascii")).decode()
        except InvalidToken as exc:
            raise UndecryptableSecretError(
                "the client secret cannot be decrypted with the configured STEWARD_SECRET_KEY; "
                "configure the identity provider again"
            ) from exc
