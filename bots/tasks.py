from celery import shared_task


@shared_task(name="bots.tasks.run_bot", ignore_result=True)
def run_bot(bot_id: str) -> None:
    from bots.runner import run

    run(bot_id)


@shared_task(name="bots.tasks.dispatch_scheduled_bots", ignore_result=True)
def dispatch_scheduled_bots() -> None:
    from bots.services import bots_dispatch_due

    bots_dispatch_due()
