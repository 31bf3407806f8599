"""Previews of evidence files for the review queue: page images rendered on the server by a
Celery task, in a child process with resource limits (review.render), stored as PNG in the private
storage and shown through a permission-checked view. The uploaded file itself is never served
inline: only these re-encoded images are."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Preview

# CPU, memory and output limits are set by the child itself (review.render.limit_self); the
# wall-clock limit here also ends a child that waits rather than computes.
WALL_SECONDS = 30
MAX_INPUT_BYTES = 50 * 1024 * 1024
PREVIEWABLE = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}


def previewable(version: Any) -> bool:
    return version is not None and version.content_type in PREVIEWABLE


def request_preview(*, version: Any, by: Any) -> Preview:
    """Queues the rendering of a version's preview (once: a ready or queued one is returned as it is;
    a failed one is tried again)."""
    if not by.has_perm("evidence.view_evidence", version.item):
        raise PermissionDenied(_("Anda tidak berwenang melihat data dukung ini."))
    if not previewable(version):
        raise ValueError(_("Pratinjau hanya tersedia untuk PDF dan gambar."))
    preview, created = Preview.objects.get_or_create(version=version)
    if created or preview.state == Preview.State.FAILED:
        preview.state, preview.error = Preview.State.QUEUED, ""
        preview.save(update_fields=["state", "error"])
        from .tasks import render_preview

        transaction.on_commit(lambda: render_preview.delay(preview.pk))
    return preview


def render_pages(source: Path, outdir: Path, kind: str) -> list[Path]:
    """Runs review.render on ``source`` in a limited child; the PNG pages it wrote, in order.
    Raises RuntimeError with a short reason when the child fails or runs out of time."""
    try:
        done = subprocess.run(
            [sys.executable, "-m", "review.render", str(source), str(outdir), kind],
            capture_output=True,
            timeout=WALL_SECONDS,
            cwd=str(Path(__file__).resolve().parent.parent),
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
            },
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(_("Berkas terlalu lama diproses.")) from None
    if done.returncode != 0:
        raise RuntimeError(_("Berkas tidak dapat dibaca sebagai PDF atau gambar."))
    return sorted(outdir.glob("*.png"), key=lambda p: int(p.stem))


def render_preview(*, preview: Preview) -> Preview:
    """Renders one preview (idempotent: a ready one is left as it is)."""
    if preview.state == Preview.State.READY:
        return preview
    version = preview.version
    kind = PREVIEWABLE.get(version.content_type)
    work = Path(tempfile.mkdtemp(prefix="zi-preview-"))
    try:
        if kind is None or version.size > MAX_INPUT_BYTES:
            raise RuntimeError(_("Pratinjau hanya tersedia untuk PDF dan gambar hingga 50 MB."))
        source = work / "input"
        with version.file.open("rb") as src, source.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        outdir = work / "out"
        outdir.mkdir()
        pages = render_pages(source, outdir, kind)
        if not pages:
            raise RuntimeError(_("Berkas tidak memuat halaman."))
        names = []
        for number, page in enumerate(pages, start=1):
            name = f"previews/{version.pk}/{number}.png"
            if default_storage.exists(name):
                default_storage.delete(name)
            names.append(default_storage.save(name, ContentFile(page.read_bytes())))
        preview.pages, preview.state, preview.error = names, Preview.State.READY, ""
    except RuntimeError as exc:
        preview.state, preview.error = Preview.State.FAILED, str(exc)[:300]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    preview.finished_at = timezone.now()
    preview.save()
    return preview
