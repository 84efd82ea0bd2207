"""Settings: defaults, environment parsing, precedence, and the checks that stop a bad start."""

from __future__ import annotations

import pytest

from webapp.settings import Settings, SettingsError


def test_defaults_without_environment():
    s = Settings.from_env({})
    assert s == Settings()
    assert s.env == "development"
    assert s.is_production is False
    assert s.secret_key == ""
    assert s.database_url == ""  # empty: the embedded SQLite file
    assert s.cache_type == "SimpleCache"
    assert s.cache_timeout == 3600
    assert s.seed_on_start is False
    assert s.city_name == "Arras"
    assert s.city_insee == "62041"  # INSEE code of Arras
    assert s.city_department == "62"  # Pas-de-Calais
    assert isinstance(s.embed_origins, tuple) and s.embed_origins


def test_int_parsing():
    assert Settings.from_env({"CACHE_TIMEOUT": "60"}).cache_timeout == 60
    assert Settings.from_env({"CACHE_TIMEOUT": " 120 "}).cache_timeout == 120


def test_bad_int_names_the_variable():
    with pytest.raises(SettingsError, match="CACHE_TIMEOUT"):
        Settings.from_env({"CACHE_TIMEOUT": "une heure"})


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_bool_true(raw):
    assert Settings.from_env({"SEED_ON_START": raw}).seed_on_start is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", ""])
def test_bool_false(raw):
    assert Settings.from_env({"SEED_ON_START": raw}).seed_on_start is False


def test_tuple_parsing_splits_on_whitespace():
    s = Settings.from_env({"EMBED_ORIGINS": "https://www.arras.fr  https://presse.example\thttps://b.example"})
    assert s.embed_origins == ("https://www.arras.fr", "https://presse.example", "https://b.example")
    assert Settings.from_env({"EMBED_ORIGINS": "*"}).embed_origins == ("*",)


def test_plain_strings_are_taken_as_is():
    s = Settings.from_env({"CITY_NAME": "Douai", "DATABASE_URL": "postgresql+psycopg://u@h/db"})
    assert s.city_name == "Douai"
    assert s.database_url == "postgresql+psycopg://u@h/db"


def test_argument_beats_environment_beats_default():
    env = {"CITY_NAME": "Lens", "CACHE_TIMEOUT": "10"}
    s = Settings.from_env(env, city_name="Béthune")
    assert s.city_name == "Béthune"  # explicit argument
    assert s.cache_timeout == 10  # environment
    assert s.contact_email == Settings().contact_email  # default
    assert Settings.from_env(env).city_name == "Lens"


def test_reads_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("CITY_NAME", "Saint-Omer")
    monkeypatch.setenv("CACHE_TIMEOUT", "5")
    s = Settings.from_env()
    assert (s.city_name, s.cache_timeout) == ("Saint-Omer", 5)


def test_production_without_secret_key_refuses_to_start():
    with pytest.raises(SettingsError) as info:
        Settings.from_env({"ARRAS_ENV": "production"})
    assert "SECRET_KEY" in str(info.value)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        Settings(env="production")


def test_production_with_secret_key_starts():
    s = Settings.from_env({"ARRAS_ENV": "production", "SECRET_KEY": "s3cret"})
    assert s.is_production and s.secret_key == "s3cret"
    assert Settings.from_env({"ARRAS_ENV": "production"}, secret_key="x").is_production


@pytest.mark.parametrize("bad", ["Memcached", "redis", "simplecache", ""])
def test_bad_cache_type_rejected(bad):
    with pytest.raises(SettingsError, match="CACHE_TYPE"):
        Settings.from_env({"CACHE_TYPE": bad})
    with pytest.raises(SettingsError, match="CACHE_TYPE"):
        Settings.from_env({}, cache_type=bad)


@pytest.mark.parametrize("good", ["SimpleCache", "RedisCache", "NullCache"])
def test_known_cache_types_accepted(good):
    assert Settings.from_env({"CACHE_TYPE": good}).cache_type == good
