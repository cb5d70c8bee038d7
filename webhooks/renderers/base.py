from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    """What goes on the wire: the raw body (signed as is) and the headers."""

    body: bytes
    headers: dict[str, str]
