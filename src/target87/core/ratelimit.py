"""How often one sender may write where anyone can: registration and the API's token writes (audience questions
and proposed statements have limits of their own, per participant, in their services).

A fixed window counted in the cache: on one server the cache under ``var/``; with ``REDIS_URL`` Redis, shared by
every server, so the limit holds for the whole site. A sender is a participant, a token, or — for anonymous forms
— the client's address, read from ``X-Forwarded-For`` only behind the proxies the settings declare
(``TRUSTED_PROXY_COUNT``), as the sign-in lockout reads it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def wait_for(key: str, *, limit: int, seconds: int) -> int:
    """Count one more write of ``key`` in the current window: 0 when it is allowed, otherwise how many seconds
    remain until the sender may write again (the write is then refused, and not counted)."""
    now = time.time()
    window = int(now // seconds)
    name = f"rate:{key}:{window}"
    if cache.add(name, 1, timeout=seconds + 1):
        return 0
    try:
        count = cache.incr(name)
    except ValueError:  # the entry expired between the two calls
        cache.set(name, 1, timeout=seconds + 1)
        return 0
    if count <= limit:
        return 0
    return max(1, int((window + 1) * seconds - now))


def client_address(request) -> str:
    """The visitor's address: the proxies' last one they were given, when proxies are declared; else the peer's."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
