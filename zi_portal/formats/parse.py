"""Reading a number someone typed, the Indonesian way first: "3,5", "1.234,5" and "1.234.567"
as well as "3.5" and "1,234.5" (pasted from an English spreadsheet). Pure Python (no Django), so
the scoring module reads answers with it too."""

import re
from decimal import Decimal, InvalidOperation

# Spaces people (and spreadsheets) put between thousands: "1 234", NBSP, narrow NBSP, thin space.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_BODY = re.compile(r"[0-9.,]+")
_DIGITS = re.compile(r"[0-9]+")
_MINUS = ("-", "\u2212")


def _grouped(whole: str, sep: str) -> bool:
    """ "1.234.567" with ``sep`` ".": a first group of 1-3 digits, then groups of exactly 3."""
    head, *rest = whole.split(sep)
    return (
        bool(_DIGITS.fullmatch(head))
        and len(head) <= 3
        and all(len(g) == 3 and _DIGITS.fullmatch(g) for g in rest)
    )


def parse_number(raw: object, *, integer: bool = False) -> Decimal | None:
    """The number in ``raw``, or None when it is not one (the caller words the error).

    The last of "," and "." is the decimal separator when both appear; a lone "," is decimal
    (Indonesian "3,5"); a lone "." is decimal too ("3.5" as typed on a phone keypad) except
    where a whole number is expected (``integer``) and it groups thousands ("1.234" people).
    Repeated separators must group thousands properly: "1.23.4" is refused, not guessed."""
    if not isinstance(raw, str):
        return None
    text = _SPACES.sub("", raw.strip())
    sign = ""
    if text[:1] in (*_MINUS, "+"):
        sign, text = ("-" if text[0] in _MINUS else ""), text[1:]
    if not _BODY.fullmatch(text):
        return None
    whole, fraction = text, ""
    if "," in text and "." in text:
        point = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if point == "," else ","
        if text.count(point) > 1:
            return None
        whole, fraction = text.split(point)
        if not _grouped(whole, thousands):
            return None
        whole = whole.replace(thousands, "")
        if not fraction:
            return None
    else:
        sep = "," if "," in text else "." if "." in text else ""
        if sep:
            if text.count(sep) > 1 or (integer and sep == "." and _grouped(text, sep)):
                if not _grouped(text, sep):
                    return None
                whole = text.replace(sep, "")
            else:
                whole, fraction = text.split(sep)
                if not fraction or (whole and not _DIGITS.fullmatch(whole)):
                    return None
    if not (whole or fraction) or (fraction and not _DIGITS.fullmatch(fraction)):
        return None
    try:
        return Decimal(f"{sign}{whole or '0'}" + (f".{fraction}" if fraction else ""))
    except InvalidOperation:  # pragma: no cover - the patterns above admit digits only
        return None
