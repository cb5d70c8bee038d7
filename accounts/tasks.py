from celery import shared_task


@shared_task(name="accounts.tasks.purge_idempotency_records", ignore_result=True)
def purge_idempotency_records() -> None:
    from accounts.idempotency import idempotency_records_purge

    idempotency_records_purge()
