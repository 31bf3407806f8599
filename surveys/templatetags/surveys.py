from django import template

from surveys import selectors

register = template.Library()


@register.simple_tag
def survey_source(assessment, index):
    """The survey landing behind an IPAK/IPKP answer (two survey rows per worksheet: two queries)."""
    if not index or assessment is None:
        return None
    return selectors.latest_landing(assessment, index)
