"""The arq Redis client the API enqueues jobs through."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from arq.connections import ArqRedis, RedisSettings

from jobs.serialization import deserialize, serialize


def redis_settings_from_url(url: str) -> RedisSettings:
    """arq settings from ``redis://[user:pass@]host:port/db``, ``rediss://…`` or ``unix:///path``.

    ``unix://`` URLs may carry ``?db=N`` and a password (``unix://:secret@/path``).
    """
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise ValueError(f"REDIS_URL must start with redis://, rediss:// or unix://, got {url!r}")
    if parts.scheme == "unix" and not parts.path:
        raise ValueError(f"unix:// Redis URL has no socket path: {url!r}")
    settings = RedisSettings.from_dsn(url)
    if parts.scheme == "unix":
        # from_dsn keeps the percent-encoding; the socket path must be the real file name.
        settings.unix_socket_path = unquote(parts.path)
    return settings


def redis_settings(url: str) -> RedisSettings:
    """arq settings from a redis://, rediss:// or unix:// URL, failing fast when Redis is down."""
    settings = redis_settings_from_url(url)
    settings.conn_timeout = 2
    settings.conn_retries = 2
    return settings


def open_pool(url: str, *, queue_name: str) -> ArqRedis:
    """A client that connects on first use and reconnects by itself.

    Unlike `arq.create_pool` it does not ping at start: the API must start and
    keep serving reads while Redis is down, and answer report requests with a
    clear error until it returns.
    """
    s = redis_settings(url)
    return ArqRedis(
        host=s.host,
        port=s.port,
        unix_socket_path=s.unix_socket_path,
        db=s.database,
        username=s.username,
        password=s.password,
        ssl=s.ssl,
        socket_connect_timeout=s.conn_timeout,
        socket_timeout=5,
        encoding="utf8",
        job_serializer=serialize,
        job_deserializer=deserialize,
        default_queue_name=queue_name,
    )
