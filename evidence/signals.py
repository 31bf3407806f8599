"""Signals other apps listen to (notifications); sent inside the change's transaction."""

from django.dispatch import Signal

# Sent by services.review: item, by, status, comment.
evidence_reviewed = Signal()
# Sent by services.comment: item, by, side ("tpi" or "unit"), text.
evidence_commented = Signal()
