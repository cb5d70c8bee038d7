"""Meemo's ids are positive integers; Notula's are `<prefix>_<22 base62 characters>`. A Meemo id is
the random part read as a base-62 number, plus one (so it is never 0): stable, both ways, with no
table. They are large (up to about 131 bits), which Python clients, Meemo's own, read exactly."""

import string

from common.errors import NotFound
from compat.ids import notula_id, random_part

_ALPHABET = string.ascii_letters + string.digits  # common.ids draws from this alphabet
_DIGIT = {char: value for value, char in enumerate(_ALPHABET)}
_WIDTH = 22
_LIMIT = len(_ALPHABET) ** _WIDTH


def meemo_id(notula: str) -> int:
    """`mtg_3cZ...` -> its integer."""
    number = 0
    for char in random_part(notula):
        number = number * len(_ALPHABET) + _DIGIT[char]
    return number + 1


def notula_of(prefix: str, meemo: int | str, *, what: str = "object") -> str:
    """The Notula id (`prefix_...`) a Meemo id stands for; NotFound for one that stands for nothing."""
    text = str(meemo)
    number = int(text) - 1 if text.isascii() and text.isdigit() and len(text) < 45 else -1
    if not 0 <= number < _LIMIT:
        raise NotFound(f"No {what} with id {text}.")
    chars = []
    for _ in range(_WIDTH):
        number, digit = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[digit])
    return notula_id(prefix, "".join(reversed(chars)), shown_as=text)
