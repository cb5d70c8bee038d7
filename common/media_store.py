"""Where media files are kept: Django's default storage, the local MEDIA_ROOT or an S3-compatible
bucket (NOTULA_MEDIA_STORAGE). Bots and imports write their files under MEDIA_ROOT first (ffmpeg and
the encoders need a local file); `media_publish` then moves a finished file into the storage, and
`media_local_copy` brings one back to read. Deletions remove a file from the storage and from the
local scratch space both, so that nothing is left behind wherever it was."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def media_storage() -> Storage:
    return storages["default"]


def media_is_local() -> bool:
    """The storage is the local MEDIA_ROOT itself (files are served from the disk)."""
    storage = media_storage()
    return isinstance(storage, FileSystemStorage) and Path(storage.location).resolve() == _root()


def _root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def media_relative(path: Path) -> str:
    """The storage name of a file under MEDIA_ROOT."""
    return Path(path).resolve().relative_to(_root()).as_posix()


def media_publish(path: Path) -> str:
    """Keep a finished file written under MEDIA_ROOT: on the local storage it stays where it is;
    elsewhere it is uploaded under the same name and the local copy removed. Its storage name."""
    name = media_relative(path)
    if not media_is_local():
        with open(path, "rb") as data:
            media_storage().save(name, data)
        Path(path).unlink()
    return name


def media_exists(name: str) -> bool:
    return bool(name) and media_storage().exists(name)


def media_url(name: str) -> str | None:
    """A presigned link straight to the store (None on the local storage: /media/ serves the file)."""
    return None if media_is_local() else media_storage().url(name)


@contextmanager
def media_local_copy(name: str) -> Iterator[Path]:
    """A local path to read a stored file from: the file itself on the local storage, else a
    temporary download removed afterwards."""
    if media_is_local():
        yield _root() / name
        return
    handle, temporary = tempfile.mkstemp(suffix=Path(name).suffix)
    try:
        with os.fdopen(handle, "wb") as out, media_storage().open(name, "rb") as source:
            shutil.copyfileobj(source, out)
        yield Path(temporary)
    finally:
        Path(temporary).unlink(missing_ok=True)


def media_delete(name: str) -> int:
    """Delete one file (a storage name); 1 if it was there, else 0."""
    if not name:
        return 0
    count = 0
    storage = media_storage()
    if storage.exists(name):
        storage.delete(name)
        count = 1
    if not media_is_local():
        local = _root() / name
        if local.is_file():
            local.unlink()
            count = 1
    return count


def media_delete_under(prefix: str) -> int:
    """Delete every file under a folder (in the storage and the local scratch space), and the folder
    itself; how many files went."""
    prefix = prefix.rstrip("/")
    count = _delete_tree(media_storage(), prefix)
    if not media_is_local():
        count += _delete_tree(FileSystemStorage(location=_root()), prefix)
    _remove_empty_folders(_root() / prefix)
    return count


def _delete_tree(storage: Storage, folder: str) -> int:
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    count = 0
    for name in files:
        storage.delete(f"{folder}/{name}")
        count += 1
    for name in folders:
        count += _delete_tree(storage, f"{folder}/{name}")
    return count


def _remove_empty_folders(root: Path) -> None:
    if not root.is_dir():
        return
    for current, _, _ in sorted(os.walk(root), key=lambda entry: len(entry[0]), reverse=True):
        try:
            os.rmdir(current)
        except OSError:
            pass  # not empty: a file appeared meanwhile; the next deletion takes it
