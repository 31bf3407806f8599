"""The public verification page: anyone holding a printed document (no account) checks it by its QR
code or short code. Only an exact, unguessable code finds a record; a wrong code gets the same
"not found" whatever exists, so the page cannot be used to list documents."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import verification


@require_GET
@never_cache
def lookup(request):
    typed = request.GET.get("kode", "")
    if typed:
        code = verification.normalise_code(typed)
        if code:
            return redirect("verify:document", code=code)
        return render(request, "reports/verify.html", {"typed": typed, "invalid": True}, status=404)
    return render(request, "reports/verify.html", {"typed": ""})


@require_GET
@never_cache
def document(request, code):
    record = verification.find(code)
    if record is None:
        return render(request, "reports/verify.html", {"typed": code, "missing": True}, status=404)
    return render(request, "reports/verify.html", {"record": record, "typed": record.display_code})
