"""Webhook delivery. Read by config/settings.py; `.env.example` lists them all."""

from config.env import env_float, env_int

WEBHOOK_TIMEOUT_S = env_float("NOTULA_WEBHOOK_TIMEOUT_S", 10.0)
WEBHOOK_RETRY_WINDOW_S = env_int("NOTULA_WEBHOOK_RETRY_WINDOW_S", 24 * 3600)
WEBHOOK_DISABLE_AFTER_S = env_int("NOTULA_WEBHOOK_DISABLE_AFTER_S", 3 * 24 * 3600)
# A delivery task waits this long after the publish that woke it, so that a busy meeting's events
# go out in batches (one wake-up each) rather than one task per event.
WEBHOOK_GATHER_MS = env_int("NOTULA_WEBHOOK_GATHER_MS", 100)
# Retry n waits RETRY_BASE * 2**(n-1) seconds, at most RETRY_MAX, times a random 0.5-1.0 (jitter).
WEBHOOK_RETRY_BASE_S = env_float("NOTULA_WEBHOOK_RETRY_BASE_S", 5.0)
WEBHOOK_RETRY_MAX_S = env_float("NOTULA_WEBHOOK_RETRY_MAX_S", 3600.0)
