"""The cache: one process's memory by default; the database or Redis (CACHE_URL) where
several server processes must share it (rate limits, and results dropped when they change)."""

import os
import subprocess
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

from compassion.commonground.ratelimit import hit
from compassion.settings import SettingsError, cache_settings
from tests.voices.test_polling import compassion, compassion_env


def test_cache_url_chooses_memory_the_database_or_redis() -> None:
    assert cache_settings("")["BACKEND"].endswith("LocMemCache")
    assert cache_settings("database")["BACKEND"].endswith("DatabaseCache")
    redis = cache_settings("redis://127.0.0.1:6379/2")
    assert redis["BACKEND"].endswith("RedisCache")
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/2"
    with pytest.raises(SettingsError, match="CACHE_URL must be database, redis://"):
        cache_settings("memcached://127.0.0.1:11211")


@pytest.mark.slow  # migrates a fresh database
def test_the_database_cache_is_shared_by_separate_processes(tmp_path: Path) -> None:
    env = compassion_env(tmp_path, CACHE_URL="database")
    subprocess.run(compassion("migrate"), env=env, check=True, capture_output=True, timeout=180)
    write = "from django.core.cache import cache; cache.set('greeting', 'shared', 60)"
    read = "from django.core.cache import cache; print(cache.get('greeting'))"
    subprocess.run(compassion("shell", "-c", write), env=env, check=True, timeout=120)
    found = subprocess.run(
        compassion("shell", "-c", read), env=env, check=True, capture_output=True, text=True
    )
    assert found.stdout.splitlines()[-1] == "shared"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="set REDIS_URL to test with Redis")
def test_rate_limits_count_in_redis_across_connections() -> None:
    with override_settings(CACHES={"default": cache_settings(os.environ["REDIS_URL"])}):
        caches["default"].clear()
        assert [hit("test:redis", 2, 60) for _ in range(3)] == [False, False, True]
        other = caches.create_connection("default")  # as another server process would
        assert other.get("commonground:rate:test:redis") == 3
        caches["default"].clear()


@pytest.mark.django_db(transaction=True)
def test_rate_limits_count_in_the_database_cache_on_either_database() -> None:
    with override_settings(CACHES={"default": cache_settings("database")}):
        call_command("createcachetable", verbosity=0)
        assert [hit("test:database", 2, 60) for _ in range(3)] == [False, False, True]
        other = caches.create_connection("default")  # as another server process would
        assert other.get("commonground:rate:test:database") == 3
