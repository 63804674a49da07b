"""The lifecycle both embedded servers share: one owner per data folder, others attach.

A subclass starts its process in `_start_owned` and stops it in `_stop_owned`; this
class owns the folder lock, the recorded URL that lets a second steward process
(a CLI next to a running `steward demo`) reuse the server, and the clean-up.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import TracebackType
from typing import Self

from server.embedded.support import EmbeddedServiceError, FolderLock

logger = logging.getLogger(__name__)


class EmbeddedServer:
    """Start or attach to a server whose data lives in one folder."""

    #: How the server is named in messages ("PostgreSQL", "Redis").
    kind = "server"

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.url: str | None = None
        self.owned = False
        self._lock: FolderLock | None = None
        self._temp_socket_dir: Path | None = None

    @property
    def _state_file(self) -> Path:
        assert self.folder is not None
        return self.folder / "url"

    def start(self, data_dir: Path) -> str:
        """Start (or reuse) the server with its data in ``data_dir`` and return its URL."""
        if self.url is not None:
            return self.url
        folder = data_dir.expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
        self._prepare_folder(folder)
        self.folder = folder
        lock = FolderLock(folder)
        if not lock.acquire():
            return self._attach(lock)
        self._lock = lock
        self.owned = True
        try:
            return self._start_owned()
        except BaseException:
            # Also on KeyboardInterrupt: never leave a half-started server behind.
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server if we started it; safe to call twice or after a failed start."""
        try:
            self._stop_owned()
        finally:
            if self._temp_socket_dir is not None:
                shutil.rmtree(self._temp_socket_dir, ignore_errors=True)
                self._temp_socket_dir = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            self.owned = False
            self.url = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _prepare_folder(self, folder: Path) -> None:
        """Adjust the data folder before it is locked (permissions, say)."""

    def _start_owned(self) -> str:
        raise NotImplementedError

    def _stop_owned(self) -> None:
        raise NotImplementedError

    def _attach(self, lock: FolderLock) -> str:
        # Another steward process (e.g. a running `steward demo`) owns the folder: share its
        # server rather than fail, so `steward tenants list` works next to the demo.
        try:
            url = self._state_file.read_text().strip()
        except OSError:
            url = ""
        if not url:
            raise EmbeddedServiceError(
                f"{self.folder} is locked by process {lock.holder()} but no {self.kind} URL is "
                "recorded; wait for it to finish starting or stop it"
            )
        logger.info(
            "%s in %s is owned by process %s; reusing it", self.kind, self.folder, lock.holder()
        )
        self.url = url
        return url
