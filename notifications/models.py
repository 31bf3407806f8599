from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a person's portal inbox (and, when e-mail is configured, in their mailbox)."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Reviu data dukung")
        COMMENT = "comment", _("Komentar")
        DEADLINE = "deadline", _("Tenggat")
        STAGE = "stage", _("Perubahan tahap")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    # Set for messages that must reach a person only once (a deadline reminder): "deadline:<phase id>".
    key = models.CharField(max_length=100, blank=True, verbose_name=_("kunci"))
    read_at = models.DateTimeField(_("dibaca pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_unique_key"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def unread(self):
        return self.read_at is None
