from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"

    def ready(self):
        # Every publish from now on writes its deliveries and wakes their streams (see webhooks.fanout).
        from meetings.events import fanout_register
        from webhooks.fanout import WebhookFanout

        fanout_register(WebhookFanout())
