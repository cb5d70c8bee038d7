"""The kinds of data a meeting has, each one entry: a name (as the audit stub and the `data.deleted`
event list it) and a function that deletes that kind for a meeting and its bots and says how many
files or rows went (0: there were none).

A new kind of data (chat messages, screenshots, ...) joins by registering in its app's `ready()`:

    from deletion.registry import data_kind_register
    data_kind_register("chat", chat_delete_for_meeting)

A function must be safe to call again (a retry after a partial deletion), and should raise on a failure
it cannot get past: the deletion then answers `partially_deleted` and names the kind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from bots.models import Bot
from meetings.models import Meeting


@dataclass(frozen=True)
class DeletionTarget:
    meeting: Meeting
    bots: list[Bot]


@dataclass(frozen=True)
class DataKind:
    name: str
    delete: Callable[[DeletionTarget], int]


_KINDS: dict[str, DataKind] = {}


def data_kind_register(name: str, delete: Callable[[DeletionTarget], int]) -> None:
    """Add (or replace, on a reload) the deletion of one kind of data."""
    _KINDS[name] = DataKind(name, delete)


def data_kinds() -> list[DataKind]:
    """The registered kinds, in registration order: media files first, the event log last."""
    return list(_KINDS.values())
