"""The SecretBox for identity-provider secrets, from STEWARD_SECRET_KEY.

Production requires the variable (server/settings.py refuses to start without
it). In development and test a key is generated once and kept in
STEWARD_DATA_DIR/secret.key (mode 0600), so the CLI and the server, separate
processes, read the same key; a per-process random key would make every
secret stored by `steward idp add` unreadable to the server.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet

from server.settings import Settings
from tenants.services.secret_box import SecretBox

KEY_FILE = "secret.key"


def _local_key(data_dir: Path) -> str:
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        scratch = data_dir / f".{KEY_FILE}.{os.getpid()}"
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode() + "\n")
        try:
            os.link(scratch, path)  # atomic: of two processes racing, one key wins
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    return path.read_text().strip()


def secret_box_for(settings: Settings) -> SecretBox:
    """The box for these settings; in production only ever from STEWARD_SECRET_KEY."""
    if settings.secret_key is not None:
        return SecretBox.from_setting(settings.secret_key.get_secret_value())
    if settings.production:  # pragma: no cover - Settings already refuses this
        raise RuntimeError("STEWARD_SECRET_KEY must be set when STEWARD_ENV=production")
    return SecretBox.from_setting(_local_key(settings.data_dir))
