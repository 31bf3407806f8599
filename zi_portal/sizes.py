"""File and request sizes as people read them in messages ("25 MB", "64 KB")."""

from zi_portal.formats import number

MiB = 1024 * 1024


def human_size(n: int) -> str:
    if n >= MiB:
        # a fraction with the decimal comma of every other figure: "2,5 MB"
        return f"{n // MiB} MB" if n % MiB == 0 else f"{number(n / MiB, 1)} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"
