"""The bot's camera in the call: a new picture (`POST /api/v1/bots/{id}/camera`) or none.

Chromium's fake camera plays a Y4M clip given at launch. Every bot is launched with one (a black
frame when it has no picture), so that a picture sent later can take its place: the API writes the
new clip beside it, the runner moves it over the launch clip and turns the camera off and on, and
the page's next capture reads the new picture. `null` only turns the camera off.
"""

import os
import subprocess
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from bots.browser import IMAGE_MAX_BYTES, IMAGE_TIMEOUT_S
from common import net
from common.errors import ValidationError

# The geometry of every clip: the launch clip and a later one must match.
CLIP_FILTER = "scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:(ow-iw)/2:(oh-ih)/2,format=yuv420p"


def bot_workdir(bot_id: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "bots" / bot_id


def _clip(source: list[str], target: Path) -> bool:
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *source, "-frames:v", "1", "-vf", CLIP_FILTER]
    result = subprocess.run([*command, "-f", "yuv4mpegpipe", str(target)], capture_output=True, timeout=30)
    return result.returncode == 0 and target.exists() and target.stat().st_size > 0


def camera_blank_clip(workdir: Path) -> Path | None:
    """A black frame as the launch clip of a bot without a picture (None when ffmpeg fails)."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "camera.y4m"
    return target if _clip(["-f", "lavfi", "-i", "color=c=black:s=640x360"], target) else None


def _image_from_url(url: str, dest: Path) -> None:
    try:
        with net.open_url(
            url, subject="image_url", max_bytes=IMAGE_MAX_BYTES, timeout_s=IMAGE_TIMEOUT_S, connect_timeout_s=5
        ) as response:
            if not response.content_type.startswith("image/"):
                raise ValidationError(
                    f"image_url is not an image (Content-Type {response.content_type or 'missing'}).",
                    fields={"image_url": ["not an image"]},
                )
            response.save(dest)
    except net.FetchError as exc:
        raise ValidationError(exc.message, fields={"image_url": [exc.message]}) from exc


def camera_clip_prepare(*, bot_id: str, image_url: str | None = None, upload: UploadedFile | None = None) -> str:
    """The picture (from `image_url`, or an uploaded file) as a clip for the bot's camera; returns its
    path relative to MEDIA_ROOT. 400 naming the field when it is no image."""
    field = "image" if upload is not None else "image_url"
    directory = bot_workdir(bot_id) / "camera"
    directory.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex[:12]
    source = directory / f"{name}.source"
    if upload is not None:
        if upload.size > IMAGE_MAX_BYTES:
            raise ValidationError(
                f"image is over {IMAGE_MAX_BYTES // (1024 * 1024)} MB.", fields={"image": ["too large"]}
            )
        with source.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    else:
        _image_from_url(image_url or "", source)
    target = directory / f"{name}.y4m"
    try:
        if not _clip(["-i", str(source)], target):
            raise ValidationError(f"{field} is not an image ffmpeg can read.", fields={field: ["not an image"]})
    finally:
        source.unlink(missing_ok=True)
    return str(target.relative_to(settings.MEDIA_ROOT))


def camera_clip_swap(*, launch_clip: Path, clip: str) -> None:
    """Put the prepared clip in the place of the one Chromium was launched with."""
    os.replace(Path(settings.MEDIA_ROOT) / clip, launch_clip)
