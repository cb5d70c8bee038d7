"""Removing media files through Django's default storage (the local MEDIA_ROOT, or an S3-compatible
bucket), so that a deletion works the same wherever the files are kept."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def media_storage() -> Storage:
    return storages["default"]


def media_delete(path: str) -> int:
    """Delete one file (a path relative to the media root); 1 if it was there, else 0."""
    if not path:
        return 0
    storage = media_storage()
    if not storage.exists(path):
        return 0
    storage.delete(path)
    return 1


def media_delete_under(prefix: str) -> int:
    """Delete every file under a folder of the media root, and the folder itself; how many files went."""
    storage = media_storage()
    count = _delete_tree(storage, prefix.rstrip("/"))
    if isinstance(storage, FileSystemStorage):
        _remove_empty_folders(Path(settings.MEDIA_ROOT) / prefix)
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
