"""File and request sizes as people read them in messages ("25 MB", "64 KB")."""

MiB = 1024 * 1024


def human_size(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.0f} MB" if n % MiB == 0 else f"{n / MiB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"
