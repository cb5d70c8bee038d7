"""The dialects served: each vendor's URL module and, where it sends callbacks, its webhook format."""

from importlib import import_module

from django.conf import settings

# vendor -> (its URL module, its webhook renderer module or "" when the vendor has no callbacks)
DIALECTS: dict[str, tuple[str, str]] = {
    "sasha": ("compat.sasha.urls", "compat.sasha.renderer"),
    "aitronos": ("compat.aitronos.urls", ""),
    "meetstream": ("compat.meetstream.urls", "compat.meetstream.renderer"),
    "meetingbaas": ("compat.meetingbaas.urls", "compat.meetingbaas.renderer"),
    "meemo": ("compat.meemo.urls", "compat.meemo.renderer"),
}
# Each also has its name in `bots.models.Dialect` (how the dashboard names it).
# A dialect's further webhook formats: format -> its renderer module.
EXTRA_RENDERERS = {"meetstream_live": "compat.meetstream.live_renderer"}


def dialect_prefix(vendor: str) -> str:
    """Where the vendor's paths start on this server (NOTULA_COMPAT_PREFIX_<VENDOR>), without a trailing /."""
    return "/" + settings.COMPAT_PREFIXES[vendor].strip("/")


def renderers_register() -> None:
    """The vendors' callback formats join the webhook formats (webhooks/renderers)."""
    from webhooks.renderers import renderer_register

    for vendor, (_, renderer) in DIALECTS.items():
        if renderer:
            renderer_register(vendor, import_module(renderer))
    for format, module in EXTRA_RENDERERS.items():
        renderer_register(format, import_module(module))
