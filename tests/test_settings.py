"""Settings come from the environment, fail loudly on bad values, and keep a secret."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from productops import settings as productops_settings


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert productops_settings.env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert productops_settings.env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert productops_settings.env_bool("X_FLAG", True) is True


def test_bad_values_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        productops_settings.env_bool("X_FLAG")
    monkeypatch.setenv("X_NUM", "eight")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        productops_settings.env_int("X_NUM", 8)


def test_secret_key_is_generated_once_into_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(productops_settings, "DATA_DIR", tmp_path)
    first = productops_settings._secret_key()
    assert (tmp_path / "secret_key").read_text() == first
    assert productops_settings._secret_key() == first
    assert len(first) > 40


def test_debug_is_off_by_default(settings):
    import os

    if "DEBUG" not in os.environ:
        assert settings.DEBUG is False
