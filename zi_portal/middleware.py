class IndonesianByDefault:
    """The portal speaks Bahasa Indonesia whatever the browser's Accept-Language says; English is
    shown only to those who choose it (the language cookie set by the switcher).

    Government staff often run English-language browsers; that must not switch the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
