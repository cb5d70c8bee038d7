from celery import shared_task


@shared_task(name="bots.tasks.run_bot", ignore_result=True)
def run_bot(bot_id: str) -> None:
    from bots.runner import run

    run(bot_id)


@shared_task(name="bots.tasks.dispatch_scheduled_bots", ignore_result=True)
def dispatch_scheduled_bots() -> None:
    from bots.services import bots_dispatch_due

    bots_dispatch_due()


@shared_task(name="bots.tasks.reap_stale_bots", ignore_result=True)
def reap_stale_bots() -> None:
    from bots.reaper import bots_reap_stale, bots_requeue_unclaimed

    bots_reap_stale()
    bots_requeue_unclaimed()
