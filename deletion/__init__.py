"""The data's life: how long a bot's or a meeting's data is kept (retention) and how it is deleted,
on request (`delete_data`) or when its retention runs out.

- `registry`: each kind of data is one entry, a function that deletes that kind for a meeting and its
  bots; an app with data of its own registers its kind there (see docs/data.md).
- `kinds`: the kinds Notula itself keeps (media files, transcript, participants, texts, event log).
- `services`: `data_delete`, one deletion with its audit stub and the `data.deleted` event.
- `retention`: which retention applies to a bot or a meeting, and which data has outlived it.
"""
