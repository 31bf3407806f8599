"""Signals other apps listen to (notifications); sent inside the change's transaction."""

from django.dispatch import Signal

# Sent by lifecycle._apply after a step changed the stage: assessment, source, target, by, step.
stage_changed = Signal()
