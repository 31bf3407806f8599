"""Template helpers for official documents: the Pemda's emblem as a data: URI and contact lines."""

from django import template

from units.emblem import emblem_data_uri

register = template.Library()


@register.filter
def emblem_uri(pemda) -> str:
    """The sanitised emblem of ``pemda`` as a data: URI ("" without one); read once per object,
    so a joint charter of many pages reads the file once."""
    if pemda is None:
        return ""
    cached = getattr(pemda, "_emblem_uri", None)
    if cached is None:
        cached = pemda._emblem_uri = emblem_data_uri(pemda)
    return cached


@register.simple_tag
def contact_line(owner) -> str:
    """ "Telepon (0291) 591148 · Surel dinkes@jepara.go.id · jepara.go.id" from what is filled."""
    parts = []
    if getattr(owner, "phone", ""):
        parts.append(f"Telepon {owner.phone}")
    if getattr(owner, "email", ""):
        parts.append(f"Surel {owner.email}")
    if getattr(owner, "website", ""):
        parts.append(owner.website)
    return " · ".join(parts)
