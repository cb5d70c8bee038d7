"""Celery tasks of meetings: each loads by id and calls one service. `transcribe_utterance` runs on the
`asr_live` queue, the whole-recording ones on `asr_batch` (config/celery.py)."""

from celery import shared_task


@shared_task(name="meetings.tasks.transcribe_utterance", ignore_result=True)
def transcribe_utterance(
    *,
    reply_key: str,
    request_id: str,
    audio_b64: str,
    options: dict,
    language: str | None,
    final: bool,
    prompt: str | None = None,
) -> None:
    from meetings.transcription.engine import worker_transcribe

    worker_transcribe(
        reply_key=reply_key,
        request_id=request_id,
        audio_b64=audio_b64,
        options=options,
        language=language,
        final=final,
        prompt=prompt,
    )


@shared_task(name="meetings.tasks.transcribe_recording", ignore_result=True)
def transcribe_recording(meeting_id: str, revision: int, options: dict) -> None:
    from meetings.imports import recording_transcribe

    recording_transcribe(meeting_id=meeting_id, revision=revision, options=options)


@shared_task(name="meetings.tasks.transcribe_import", ignore_result=True)
def transcribe_import(meeting_id: str, source: str, options: dict) -> None:
    from meetings.imports import meeting_import_run

    meeting_import_run(meeting_id=meeting_id, source=source, options=options)
