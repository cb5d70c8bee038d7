"""How other apps act on every published event without this package knowing them.

An app registers a `Fanout` when it starts (webhooks does, in `WebhooksConfig.ready`). Each publish
then gives every registered fanout two chances:

1. **Inside the publish, in the event's transaction**, to write rows of its own (webhooks: one
   delivery per subscribed endpoint), so that an event never exists without them. On PostgreSQL the
   publish is one statement, and stays one: a fanout contributes CTEs to it (`statement_sql`) with
   their parameters (`statement_params`), and one result column that `statement_result` turns into
   what `write` would have returned. Elsewhere `write` runs its own statements in the transaction.
2. **After commit**, `on_commit(result)` with that result (webhooks: wake the delivery streams), when
   the result is truthy.

The statement a fanout joins is, for an event of either scope:

    WITH bump AS (UPDATE <meeting or organization> SET event_seq = event_seq + 1 ... RETURNING event_seq),
         event AS (INSERT INTO <event log> ... SELECT ... FROM bump RETURNING sequence)
         <fanout CTEs, each starting with a comma>
    SELECT (SELECT sequence FROM event), <each fanout's result expression>

`event` has one row once the event is written and none if its meeting (or organization) is gone, so
a CTE that joins it writes nothing for an event that was not written. Parameters a fanout may use:
`%(event_id)s`, `%(event_type)s`, `%(created_at)s`, `%(meeting_id)s` (NULL for an organization
event) and `%(organization_id)s` (the event's organization, for both scopes). Its own CTE and
parameter names start with its `name` and an underscore, so fanouts cannot collide.
"""

from typing import Any, Protocol

from meetings.models import MeetingEvent


class Fanout(Protocol):
    name: str

    def statement_sql(self) -> tuple[str, str]:
        """(CTEs to append, each starting with `, `; the SQL expression of the result column)."""
        ...

    def statement_params(self, event: MeetingEvent, organization_id: str) -> dict[str, Any]: ...

    def statement_result(self, event: MeetingEvent, value: Any) -> Any:
        """What `write` returns, from the value of the result column."""
        ...

    def write(self, event: MeetingEvent, organization_id: str) -> Any:
        """The same writes as the CTEs, as statements of their own (any database)."""
        ...

    def on_commit(self, result: Any) -> None: ...


_fanouts: dict[str, Fanout] = {}


def fanout_register(fanout: Fanout) -> None:
    """Act on every event from now on (again under the same name: replaces the earlier one)."""
    _fanouts[fanout.name] = fanout


def fanouts() -> tuple[Fanout, ...]:
    return tuple(_fanouts.values())
