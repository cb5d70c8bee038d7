"""Bots, their workers and their browser. Read by config/settings.py; `.env.example` lists them all."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_float, env_int

# How many bots one worker process runs at once (Celery concurrency of the `bots` queue).
BOTS_PER_WORKER = env_int("NOTULA_BOTS_PER_WORKER", 4)
# How a bots worker runs them: `prefork`, a process each, or `threads` of one process that share its
# Python, Django and loaded model (a third of the memory per bot at 12 bots; docs/benchmarks.md).
BOTS_POOL = env("NOTULA_BOTS_POOL", "prefork")
if BOTS_POOL not in ("prefork", "threads"):
    raise ImproperlyConfigured(f"NOTULA_BOTS_POOL must be 'prefork' or 'threads', not '{BOTS_POOL}'.")
# How many bots of this machine start their browser and join at the same time (bots/join_gate.py);
# the others wait their turn, at most BOT_JOIN_WAIT_MAX_S. 0: no limit.
BOT_JOINS_AT_ONCE = env_int("NOTULA_BOT_JOINS_AT_ONCE", 2)
BOT_JOIN_WAIT_MAX_S = env_int("NOTULA_BOT_JOIN_WAIT_MAX_S", 120)
# A bot that has not heartbeat for this long is marked failed / bot_crashed.
BOT_HEARTBEAT_TIMEOUT_S = env_int("NOTULA_BOT_HEARTBEAT_TIMEOUT_S", 90)
# A bot still queued (no worker started it) this long is enqueued once more, then failed.
BOT_QUEUE_TIMEOUT_S = env_int("NOTULA_BOT_QUEUE_TIMEOUT_S", 300)
# What one `speak` request may hold: its length once decoded, and the size of a file sent or fetched.
BOT_SPEECH_MAX_S = env_int("NOTULA_BOT_SPEECH_MAX_S", 600)
BOT_SPEECH_MAX_BYTES = env_int("NOTULA_BOT_SPEECH_MAX_BYTES", 20 * 1024 * 1024)
# The bot browser's language (Chromium --lang and Accept-Language); meeting pages follow it. Adapters
# read pages in English, German, French and Spanish (bots/platforms/<platform>/ui.json).
BOT_LOCALE = env("NOTULA_BOT_LOCALE", "en-US")
# Plain-http origins the bots' Chromium treats as secure (comma-separated, e.g. http://10.0.0.5:8000):
# the audio capture needs a secure context, which plain http is only on localhost (the simulator
# served from another machine without TLS).
BOT_SECURE_ORIGINS = [o.strip() for o in env("NOTULA_BOT_SECURE_ORIGINS", "").split(",") if o.strip()]
# Seconds a meeting link may take to show a page the bot knows (launchers, redirects and dialogs on the
# way); past it the bot fails with unrecognized_page, the page's screenshot and HTML attached.
BOT_PAGE_TIMEOUT_S = env_float("NOTULA_BOT_PAGE_TIMEOUT_S", 30.0)
CHROMIUM_BINARY = env("NOTULA_CHROMIUM_BINARY", "/usr/lib/chromium/chromium")
CHROMEDRIVER = env("NOTULA_CHROMEDRIVER", "/usr/bin/chromedriver")
# Chromium's browser, page, network, audio and GPU work in one process instead of seven: about 20-50 MB
# less per bot (docs/benchmarks.md); Chromium calls the mode unsupported, so it is not the default.
CHROMIUM_SINGLE_PROCESS = env_bool("NOTULA_CHROMIUM_SINGLE_PROCESS", False)
