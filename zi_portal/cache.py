"""The cache configuration, from CACHE_URL."""

import environ


def cache_config(url: str) -> dict:
    """Django's CACHES["default"] for ``url``. A Redis cache goes through django-redis with
    exceptions ignored: while Redis is unreachable every read is a miss and every write is
    dropped (and logged), so sessions fall back to the database and pages are computed instead
    of failing (bench/README.md, "Faults")."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"].endswith("RedisCache"):
        config["BACKEND"] = "django_redis.cache.RedisCache"
        config["OPTIONS"] = {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            **config.get("OPTIONS", {}),
        }
    return config
