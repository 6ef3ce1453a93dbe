from django import template

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """Seconds as a time: 42 → "0:42", 4554 → "1:15:54"; "—" for none."""
    if seconds is None:
        return "—"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
