"""Jobs travel as msgpack: a pickle planted in Redis is refused, never executed."""

import pickle

import msgpack
import pytest
from arq.connections import RedisSettings
from cryptography.fernet import Fernet

from jobs.serialization import deserialize, serialize
from jobs.worker import worker_settings
from server.redis_pool import open_pool
from tenants.services.secret_box import SecretBox


class Exploit:
    ran = False

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (setattr, (Exploit, "ran", True))


def test_the_worker_and_the_api_use_msgpack() -> None:
    options = worker_settings(
        database_url="postgresql+asyncpg://u@h/d",
        redis_settings=RedisSettings(),
        queue_name="q",
        secret_box=SecretBox([Fernet.generate_key()]),
    )
    assert options["job_serializer"] is serialize and options["job_deserializer"] is deserialize
    pool = open_pool("redis://127.0.0.1:6379/0", queue_name="q")
    assert pool.job_serializer is serialize and pool.job_deserializer is deserialize


def test_a_job_round_trips() -> None:
    job = {"t": 1, "f": "build_readiness_report", "a": ["acme", "0f0e"], "k": {}, "et": 1}
    assert deserialize(serialize(job)) == job


def test_a_pickled_payload_is_refused_and_does_not_run() -> None:
    with pytest.raises((msgpack.ExtraData, msgpack.FormatError, msgpack.StackError, ValueError)):
        deserialize(pickle.dumps(Exploit()))
    assert Exploit.ran is False
