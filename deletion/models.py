from django.db import models

from accounts.models import Organization
from common.ids import new_id


def new_deletion_id() -> str:
    return new_id("del")


class Retention(models.TextChoices):
    TIMED = "timed"
    FOREVER = "forever"


class RetentionPolicy(models.Model):
    """An organization's default retention: how long a bot's or an imported meeting's data is kept
    after it ended. A bot's own `retention` overrides it; no policy at all means forever."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="retention_policy")
    type = models.CharField(max_length=10, choices=Retention.choices, default=Retention.FOREVER)
    hours = models.PositiveIntegerField(null=True, blank=True)  # set exactly when type is timed
    updated_at = models.DateTimeField(auto_now=True)


class DataDeletion(models.Model):
    """The audit stub of one deletion: which objects, when, who asked, what went and what could not.
    It holds ids and counts only, never the deleted data itself, and outlives the data it describes."""

    class Reason(models.TextChoices):
        REQUEST = "request"  # POST .../delete_data
        RETENTION = "retention"  # the beat task, past the retention period

    class Outcome(models.TextChoices):
        DELETED = "deleted"
        PARTIALLY_DELETED = "partially_deleted"  # some kind failed; the next try (or retention) retries it
        ALREADY_DELETED = "already_deleted"  # an earlier deletion removed everything
        NO_DATA = "no_data"  # there never was any data

    id = models.CharField(primary_key=True, max_length=32, default=new_deletion_id, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="data_deletions")
    # Plain ids, not keys: the stub stays when the meeting or bot rows themselves are deleted.
    object_type = models.CharField(max_length=10)  # bot or meeting: what was asked for
    object_id = models.CharField(max_length=32)
    meeting_id = models.CharField(max_length=32, db_index=True)
    bot_ids = models.JSONField(default=list)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    # "api_key:<id>", "user:<id>" or "retention".
    requested_by = models.CharField(max_length=100)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    removed = models.JSONField(default=dict)  # kind -> how many files or rows went
    failed = models.JSONField(default=dict)  # kind -> why it could not be removed
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}: {self.outcome}"
