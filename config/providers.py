"""Settings of the services outside Notula that it talks to: object storage, cloud speech-to-text,
Zoom, Google and Microsoft (sign-in and calendars). Each base URL is a setting, so tests and
sandboxes point it at a local server speaking the same protocol. `.env.example` lists them all.
"""

from config.env import env, env_bool, env_float, env_int

# The S3-compatible store of NOTULA_MEDIA_STORAGE=s3 (AWS, MinIO, Ceph, R2, ...).
S3_BUCKET = env("NOTULA_S3_BUCKET")
S3_ENDPOINT_URL = env("NOTULA_S3_ENDPOINT_URL")  # empty: AWS itself
S3_REGION = env("NOTULA_S3_REGION", "us-east-1")
S3_ACCESS_KEY_ID = env("NOTULA_S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env("NOTULA_S3_SECRET_ACCESS_KEY")


def s3_storage(bucket: str, endpoint_url: str, region: str, access_key: str, secret_key: str, ttl_s: int) -> dict:
    """The STORAGES entry of an S3-compatible bucket: private objects, presigned links that expire
    with Notula's own (NOTULA_MEDIA_LINK_TTL_S), a file written again replaces the old one."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": ttl_s,
            "file_overwrite": True,
            "addressing_style": "path" if endpoint_url else None,
            "signature_version": "s3v4",
        },
    }


# Cloud speech-to-text (the deepgram and assemblyai backends): each provider's base URLs and the
# server's own key (a bot's `transcription.api_key` is used before it).
DEEPGRAM_URL = env("NOTULA_DEEPGRAM_URL", "https://api.deepgram.com")
DEEPGRAM_API_KEY = env("NOTULA_DEEPGRAM_API_KEY", "")
ASSEMBLYAI_URL = env("NOTULA_ASSEMBLYAI_URL", "https://api.assemblyai.com")
ASSEMBLYAI_STREAMING_URL = env("NOTULA_ASSEMBLYAI_STREAMING_URL", "wss://streaming.assemblyai.com")
ASSEMBLYAI_API_KEY = env("NOTULA_ASSEMBLYAI_API_KEY", "")
# A cloud call that fails (refused, rate-limited, dropped, timed out) is tried this many times in all,
# waiting RETRY_BASE_S * 2**(n-1) between tries; then the local model takes over when FALLBACK is on,
# and otherwise the transcript ends `failed` with the reason.
CLOUD_ASR_ATTEMPTS = env_int("NOTULA_CLOUD_ASR_ATTEMPTS", 3)
CLOUD_ASR_RETRY_BASE_S = env_float("NOTULA_CLOUD_ASR_RETRY_BASE_S", 0.5)
CLOUD_ASR_TIMEOUT_S = env_float("NOTULA_CLOUD_ASR_TIMEOUT_S", 30.0)
CLOUD_ASR_FALLBACK = env_bool("NOTULA_CLOUD_ASR_FALLBACK", False)

# Where a bot that joins as a stored account (join_as) signs in: Google's for Meet, Microsoft's for Teams.
GOOGLE_SIGNIN_URL = env(
    "NOTULA_GOOGLE_SIGNIN_URL", "https://accounts.google.com/ServiceLogin?continue=https://meet.google.com/"
)
MICROSOFT_SIGNIN_URL = env("NOTULA_MICROSOFT_SIGNIN_URL", "https://login.microsoftonline.com/")
# Zoom OAuth connections (accounts/zoom.py): the app's credentials, and where Zoom's OAuth server and
# API answer (a local server speaking the same protocol in tests).
ZOOM_CLIENT_ID = env("NOTULA_ZOOM_CLIENT_ID", "")
ZOOM_CLIENT_SECRET = env("NOTULA_ZOOM_CLIENT_SECRET", "")
ZOOM_OAUTH_URL = env("NOTULA_ZOOM_OAUTH_URL", "https://zoom.us").rstrip("/")
ZOOM_API_URL = env("NOTULA_ZOOM_API_URL", "https://api.zoom.us").rstrip("/")
# Calendars (calendars/): the sync window, how long before a meeting its bot joins, the ICS feed's caps,
# how often every calendar is read again (the safety net under push), how long pushes are gathered.
CALENDAR_SYNC_DAYS_BACK = env_int("NOTULA_CALENDAR_SYNC_DAYS_BACK", 1)
CALENDAR_SYNC_DAYS_AHEAD = env_int("NOTULA_CALENDAR_SYNC_DAYS_AHEAD", 28)
CALENDAR_BOT_LEAD_S = env_int("NOTULA_CALENDAR_BOT_LEAD_S", 60)
CALENDAR_ICS_MAX_BYTES = env_int("NOTULA_CALENDAR_ICS_MAX_BYTES", 5 * 1024 * 1024)
CALENDAR_ICS_TIMEOUT_S = env_float("NOTULA_CALENDAR_ICS_TIMEOUT_S", 20.0)
CALENDAR_RESYNC_INTERVAL_S = env_int("NOTULA_CALENDAR_RESYNC_INTERVAL_S", 900)
CALENDAR_PUSH_DEBOUNCE_S = env_float("NOTULA_CALENDAR_PUSH_DEBOUNCE_S", 5.0)
# Google and Microsoft calendars: the OAuth apps' credentials, and where each provider answers (a local
# server speaking the same protocol in tests).
GOOGLE_CLIENT_ID = env("NOTULA_GOOGLE_CLIENT_ID", "")
GOOGLE_CLIENT_SECRET = env("NOTULA_GOOGLE_CLIENT_SECRET", "")
GOOGLE_OAUTH_URL = env("NOTULA_GOOGLE_OAUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth").rstrip("/")
GOOGLE_TOKEN_URL = env("NOTULA_GOOGLE_TOKEN_URL", "https://oauth2.googleapis.com/token").rstrip("/")
GOOGLE_CALENDAR_API_URL = env("NOTULA_GOOGLE_CALENDAR_API_URL", "https://www.googleapis.com/calendar/v3").rstrip("/")
MICROSOFT_CLIENT_ID = env("NOTULA_MICROSOFT_CLIENT_ID", "")
MICROSOFT_CLIENT_SECRET = env("NOTULA_MICROSOFT_CLIENT_SECRET", "")
MICROSOFT_LOGIN_URL = env("NOTULA_MICROSOFT_LOGIN_URL", "https://login.microsoftonline.com/common").rstrip("/")
MICROSOFT_GRAPH_URL = env("NOTULA_MICROSOFT_GRAPH_URL", "https://graph.microsoft.com/v1.0").rstrip("/")
