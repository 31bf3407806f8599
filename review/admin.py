from django.contrib import admin

from accounts.admin_scope import PemdaScopedAdmin

from .models import ReviewPolicy


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(PemdaScopedAdmin, admin.ModelAdmin):
    """Per Pemda: the sign-off tiers after the member (e.g. ["ketua", "pengendali"]) and whether
    answers lacking accepted evidence block nomination or only warn. Assignments and revision
    requests have their own pages (/reviu/)."""

    list_display = ("pemda", "tiers", "evidence_rule")
