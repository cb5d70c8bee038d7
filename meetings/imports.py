"""Meetings from files: `POST /api/v1/meetings` with a `file_url` or an uploaded file creates a meeting
without a bot; an ASR worker downloads, decodes (ffmpeg) and transcribes it, and re-transcription of
any meeting's recording runs the same way."""

import logging
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import get_valid_filename

from accounts.models import Organization
from accounts.services import project_resolve
from common import net
from common.errors import ValidationError
from common.media_store import media_local_copy, media_publish
from meetings.events import EventType, publish
from meetings.models import Meeting, Recording
from meetings.transcription import audio as audio_io
from meetings.transcription.backends.cloud import CloudAsrFailed
from meetings.transcription.registry import BACKENDS

log = logging.getLogger(__name__)

MEDIA_EXTENSIONS = {
    ".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".oga", ".opus", ".webm", ".mp4", ".m4v", ".mov",
    ".mkv", ".avi", ".wma", ".wmv", ".amr", ".3gp", ".aif", ".aiff", ".caf", ".mpga", ".mpeg",
}  # fmt: skip


class ImportFailed(Exception):
    pass


def _check_url(url: str) -> None:
    problem = net.url_problem(url, subject="file_url")
    if problem:
        raise ValidationError(problem, fields={"file_url": [problem]})


def _check_options(backend: str | None) -> None:
    if backend is not None and (backend not in BACKENDS or backend == "captions"):
        choices = ", ".join(b for b in BACKENDS if b != "captions")
        raise ValidationError(f"Unknown or unusable backend '{backend}'.", fields={"backend": [f"one of {choices}"]})


def _store_upload(upload: UploadedFile, meeting: Meeting) -> Path:
    name = get_valid_filename(Path(upload.name or "upload").name) or "upload"
    if Path(name).suffix.lower() not in MEDIA_EXTENSIONS and not (upload.content_type or "").startswith(
        ("audio/", "video/")
    ):
        raise ValidationError(
            f"'{name}' is not an audio or video file.", fields={"file": ["unsupported file type"]}, code="unsupported"
        )
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            f"The file is larger than {settings.IMPORT_MAX_BYTES} bytes.", fields={"file": ["too large"]}
        )
    target = Path(settings.MEDIA_ROOT) / "imports" / meeting.id / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        info = audio_io.probe(target)
    except audio_io.AudioDecodeError as exc:
        target.unlink(missing_ok=True)
        raise ValidationError(
            f"The file cannot be decoded: {exc}.", fields={"file": ["not a readable audio or video file"]}
        ) from exc
    if info["duration_s"] > settings.IMPORT_MAX_DURATION_S:
        target.unlink(missing_ok=True)
        raise ValidationError("The recording is too long.", fields={"file": ["too long"]})
    return target


@transaction.atomic
def meeting_import_create(
    *,
    organization: Organization,
    file: UploadedFile | None = None,
    file_url: str = "",
    project: str | None = None,
    title: str = "",
    language: str | None = None,
    backend: str | None = None,
    model: str | None = None,
    speaker_count: int | str | None = None,
) -> Meeting:
    """Create a meeting (source=file) from an upload or a URL and queue its transcription.

    Bad input (both or neither source, a non-http(s) URL, an unsupported or unreadable upload) is a 400;
    a URL that cannot be fetched or decoded ends the meeting `failed` with a reason.
    """
    if bool(file) == bool(file_url):
        raise ValidationError(
            "Send either file_url or a multipart file.", fields={"file_url": ["file_url or file"], "file": ["file"]}
        )
    if file_url:
        _check_url(file_url)
    _check_options(backend)
    meeting = Meeting.objects.create(
        organization=organization,
        project=project_resolve(organization=organization, name=project),
        source=Meeting.Source.FILE,
        title=title or (Path(file.name).stem if file else Path(urlsplit(file_url).path).stem)[:300],
        language="" if not language or language == "auto" else language,
        status=Meeting.Status.PROCESSING,
    )
    source = str(_store_upload(file, meeting)) if file else file_url
    options = {"backend": backend, "model": model, "language": language}
    if speaker_count is not None:
        options["speaker_count"] = speaker_count  # 1..N or "auto": label Speaker 1..N (diarization)

    def enqueue():
        from meetings.tasks import transcribe_import

        transcribe_import.delay(meeting.id, source, options)

    transaction.on_commit(enqueue)
    return meeting


def meeting_fail(*, meeting: Meeting, reason: str, revision: int = 1) -> Meeting:
    """The transcription of an import or a re-transcription failed: `failed` with the reason, in the
    user's words, and `transcript.failed`."""
    meeting.status, meeting.failure_reason = Meeting.Status.FAILED, reason[:500]
    with transaction.atomic():
        meeting.save(update_fields=["status", "failure_reason"])
        publish(
            meeting,
            EventType.TRANSCRIPT_FAILED,
            {"revision": revision, "source": meeting.source, "reason": meeting.failure_reason},
        )
    return meeting


def _sentence(exc: Exception) -> str:
    """What an unexpected failure means to the user: never an exception's class name."""
    if isinstance(exc, MemoryError):
        return "the recording is too large to transcribe on this server: import a shorter file."
    if isinstance(exc, OSError):
        return "the file could not be read or stored on the server: try again, and tell the operator if it persists."
    return "transcription failed on the server: try again, and tell the operator if it persists."


def _download(url: str, directory: Path) -> Path:
    """Fetch file_url through the outbound check (redirects re-checked), within the size and time limits."""
    # The URL's last path part names the file, if it is a usable name (not "..", "." or empty).
    name = Path(urlsplit(url).path).name
    target = directory / ((get_valid_filename(name) if name.strip(".") else "") or "download")
    try:
        net.fetch_to_file(
            url,
            target,
            subject="file_url",
            max_bytes=settings.IMPORT_MAX_BYTES,
            timeout_s=settings.IMPORT_DOWNLOAD_TIMEOUT_S,
        )
    except net.FetchError as exc:
        raise ImportFailed(exc.message) from exc
    return target


def _save_recording(meeting: Meeting, samples) -> Recording:
    relative = Path("recordings") / f"{meeting.id}.flac"
    path = audio_io.encode_flac(samples, Path(settings.MEDIA_ROOT) / relative)
    size_bytes = path.stat().st_size
    return Recording.objects.create(
        meeting=meeting,
        kind=Recording.Kind.AUDIO,
        format="flac",
        file=media_publish(path),
        duration_ms=len(samples) * 1000 // 16000,
        size_bytes=size_bytes,
    )


def meeting_import_run(*, meeting_id: str, source: str, options: dict) -> Meeting:
    """Download (for a URL), decode, keep a lossless copy as the recording, transcribe, complete."""
    from meetings.transcripts import meeting_transcribe_audio, transcript_complete

    meeting = Meeting.objects.get(pk=meeting_id)
    try:
        with tempfile.TemporaryDirectory(prefix="notula-import-") as tmp:
            path = _download(source, Path(tmp)) if source.startswith(("http://", "https://")) else Path(source)
            try:
                info = audio_io.probe(path)
                if info["duration_s"] > settings.IMPORT_MAX_DURATION_S:
                    raise ImportFailed(
                        f"the recording is longer than {settings.IMPORT_MAX_DURATION_S} s: import a shorter one."
                    )
                samples = audio_io.decode(path)
            except audio_io.AudioDecodeError as exc:
                raise ImportFailed(
                    f"not an audio or video file that can be read ({exc}): send an audio or video file."
                ) from exc
        _save_recording(meeting, samples)
        meeting_transcribe_audio(
            meeting=meeting, audio=samples, revision=1, transcription=options, publish_segments=True
        )
    except (ImportFailed, ValidationError, CloudAsrFailed) as exc:
        log.info("Import of meeting %s failed: %s", meeting_id, exc)
        return meeting_fail(meeting=meeting, reason=str(exc))
    except Exception as exc:
        log.exception("Import of meeting %s failed", meeting_id)
        return meeting_fail(meeting=meeting, reason=_sentence(exc))
    return transcript_complete(meeting=meeting)


def recording_transcribe(*, meeting_id: str, revision: int, options: dict) -> Meeting:
    """Re-transcribe the meeting's (lossless) recording as `revision`, then publish `transcript_ready`."""
    from meetings.transcripts import meeting_transcribe_audio, recording_lossless, transcript_complete

    meeting = Meeting.objects.get(pk=meeting_id)
    recording = recording_lossless(meeting=meeting)
    try:
        if recording is None:
            raise ImportFailed("the meeting has no audio recording")
        with media_local_copy(recording.file.name) as local:
            samples = audio_io.decode(local)
        meeting_transcribe_audio(
            meeting=meeting, audio=samples, revision=revision, transcription=options, publish_segments=False
        )
    except (ImportFailed, audio_io.AudioDecodeError, CloudAsrFailed) as exc:
        return meeting_fail(meeting=meeting, reason=f"re-transcription failed: {exc}", revision=revision)
    except Exception as exc:
        log.exception("Re-transcription of meeting %s failed", meeting_id)
        return meeting_fail(meeting=meeting, reason=f"re-transcription failed: {_sentence(exc)}", revision=revision)
    return transcript_complete(meeting=meeting)
