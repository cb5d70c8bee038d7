from django.db import models

from accounts.models import Organization
from common.ids import new_id
from meetings.models import Meeting, MeetingEvent


def new_endpoint_id() -> str:
    return new_id("whe")


def new_delivery_id() -> str:
    return new_id("dlv")


class WebhookEndpoint(models.Model):
    """Where an organization's events go. With `meeting` set, it is one bot's `webhook_url`."""

    class Format(models.TextChoices):
        NATIVE = "native"
        SASHA = "sasha"
        MEETSTREAM = "meetstream"
        MEETSTREAM_LIVE = "meetstream_live"
        MEETINGBAAS = "meetingbaas"
        MEEMO = "meemo"

    id = models.CharField(primary_key=True, max_length=32, default=new_endpoint_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="webhook_endpoints")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=2000)
    # Empty list: every event type.
    event_types = models.JSONField(default=list, blank=True)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.NATIVE)
    secret = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # given up after the retry window

    id = models.CharField(primary_key=True, max_length=32, default=new_delivery_id, editable=False)
    # Indexes are few on purpose: every event adds rows here and every send updates one. The unique
    # constraint serves lookups by endpoint; pending ones (what workers read) have their own small index.
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    event = models.ForeignKey(MeetingEvent, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set on the first failure (or on redelivery): past it, a failing delivery is given up.
    retry_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="delivery_unique_endpoint_event")]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="delivery_endpoint_recent"),
            models.Index(fields=["endpoint"], condition=models.Q(status="pending"), name="delivery_pending"),
        ]


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    status_code = models.PositiveIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
