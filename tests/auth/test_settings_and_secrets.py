"""STEWARD_SECRET_KEY and STEWARD_PUBLIC_URL: required in production, validated everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from server.auth.secret_key import secret_box_for
from server.settings import SettingsError, load_settings
from tenants.services.secret_box import SecretBox, UndecryptableSecretError


def test_production_refuses_to_start_without_a_secret_key_and_public_url() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(STEWARD_ENV="production")
    assert "STEWARD_SECRET_KEY" in str(error.value) and "STEWARD_PUBLIC_URL" in str(error.value)


def test_production_needs_an_https_public_url() -> None:
    with pytest.raises(SettingsError, match="https"):
        load_settings(
            STEWARD_ENV="production",
            STEWARD_SECRET_KEY=Fernet.generate_key().decode(),
            STEWARD_PUBLIC_URL="http://steward.example",
        )


def test_a_malformed_secret_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(STEWARD_ENV="test", STEWARD_SECRET_KEY="hunter2")
    assert "STEWARD_SECRET_KEY" in str(error.value) and "hunter2" not in str(error.value)


def test_a_public_url_is_an_origin_only() -> None:
    with pytest.raises(SettingsError, match="origin"):
        load_settings(STEWARD_ENV="test", STEWARD_PUBLIC_URL="https://steward.example/app")
    assert (
        load_settings(STEWARD_ENV="test", STEWARD_PUBLIC_URL="https://steward.example/").public_url
        == "https://steward.example"
    )


def test_outside_production_a_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    settings = load_settings(STEWARD_ENV="development", STEWARD_DATA_DIR=str(tmp_path))
    token = secret_box_for(settings).encrypt("client secret")
    assert secret_box_for(settings).decrypt(token) == "client secret"
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0


def test_keys_rotate_by_prepending_a_new_one() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored = SecretBox.from_setting(old).encrypt("s")
    rotated = SecretBox.from_setting(f"{new},{old}")
    assert rotated.decrypt(stored) == "s"
    with pytest.raises(UndecryptableSecretError):
        SecretBox.from_setting(new).decrypt(stored)
