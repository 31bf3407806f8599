from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Notification

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request):
    """The person's inbox, newest first; two queries whatever its length."""
    only_unread = request.GET.get("status") == "baru"
    qs = Notification.objects.filter(user=request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": services.unread_count(request.user),
        },
    )


@login_required
@require_GET
def unread_badge(request):
    """The bell's count (htmx, loaded after the page so it costs no query on every page render)."""
    return render(
        request, "notifications/_badge.html", {"unread": services.unread_count(request.user)}
    )


@login_required
@require_POST
def mark_read(request):
    """Marks one (``id``) or all notifications as read; opening one follows its link."""
    raw = request.POST.get("id", "")
    ids = [int(raw)] if raw.isdigit() else None
    services.mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    if ids and not target:
        target = (
            Notification.objects.filter(user=request.user, pk=ids[0])
            .values_list("url", flat=True)
            .first()
            or ""
        )
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        target = "notifications:list"
    return redirect(target)
