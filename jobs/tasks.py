"""The arq task registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

TASKS: tuple[Callable[..., Any], ...] = ()
