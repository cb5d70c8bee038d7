from celery import shared_task

from deletion.retention import retention_sweep


@shared_task
def delete_expired_data() -> int:
    """Beat: delete the data of meetings past their retention; how many deletions ran."""
    return len(retention_sweep())
