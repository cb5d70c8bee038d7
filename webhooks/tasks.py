from celery import shared_task


@shared_task(name="webhooks.tasks.deliver_stream", ignore_result=True)
def deliver_stream(endpoint_id: str, meeting_id: str, kicked_at: float | None = None) -> None:
    """Send what is due for one endpoint and one meeting, in order."""
    from webhooks.delivery import stream_run

    stream_run(endpoint_id=endpoint_id, meeting_id=meeting_id, kicked_at=kicked_at)


@shared_task(name="webhooks.tasks.kick_due_deliveries", ignore_result=True)
def kick_due_deliveries() -> None:
    """Beat: wake streams whose retry is due but whose task was lost."""
    from webhooks.delivery import deliveries_kick_due

    deliveries_kick_due()
