from celery import shared_task


@shared_task(name="webhooks.tasks.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_id: str) -> None:
    from webhooks.delivery import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)
