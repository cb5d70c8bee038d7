from django.core.management.base import BaseCommand, CommandError

from bots.models import Bot


class Command(BaseCommand):
    help = "Run one queued bot in this process, as a worker would (for debugging)."

    def add_arguments(self, parser):
        parser.add_argument("bot_id")

    def handle(self, *args, bot_id, **options):
        from bots.runner import run

        bot = Bot.objects.filter(pk=bot_id).first()
        if bot is None:
            raise CommandError(f"No bot '{bot_id}'.")
        if bot.status != "queued":
            raise CommandError(f"Bot {bot_id} is '{bot.status}'; only a queued bot can be run.")
        run(bot_id)
        bot.refresh_from_db()
        reason = f" ({bot.end_reason})" if bot.end_reason else ""
        self.stdout.write(f"Bot {bot_id}: {bot.status}{reason}")
