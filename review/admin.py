from django.contrib import admin

from accounts.admin_scope import PemdaScopedAdmin, admin_pemda_ids

from .models import ReviewPolicy


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(PemdaScopedAdmin, admin.ModelAdmin):
    """Per Pemda: the sign-off tiers after the member (e.g. ["ketua", "pengendali"]) and whether
    answers lacking accepted evidence block nomination or only warn. Assignments and revision
    requests have their own pages (/reviu/)."""

    list_display = ("pemda", "tiers", "evidence_rule")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "pemda" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(pk__in=admin_pemda_ids(request.user))
        return field
