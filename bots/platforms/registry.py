"""Platform name -> adapter class. Each adapter lives in bots/platforms/<platform>/adapter.py."""

from importlib import import_module

from bots.platforms.base import PlatformAdapter

PLATFORMS = ("google_meet", "teams", "zoom", "webex")


def adapter_class(platform: str) -> type[PlatformAdapter]:
    if platform not in PLATFORMS:
        raise KeyError(f"No adapter for platform '{platform}'")
    return import_module(f"bots.platforms.{platform}.adapter").Adapter
