from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from carebase.crm.identities import format_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """+48221234567 → "22 123 45 67" at home, "+49 30 123456" abroad."""
    return format_phone(e164)


def dial_url(e164: str) -> str:
    """Where clicking the number takes the browser: CLICK_TO_CALL_URL with
    the number in it (tel: by default, or the PBX's softphone scheme)."""
    number = urlencode({"": e164})[1:]  # a "+" stays a "+" in tel: and sip: links
    return settings.CLICK_TO_CALL_URL.replace("{number}", number.replace("%2B", "+"))


@register.filter
def dial(e164: str) -> SafeString | str:
    """The number, readable, as a click-to-call link; text as it is when it is
    no number (an extension, a withheld caller)."""
    if not e164 or not e164.startswith("+"):
        return e164 or "—"
    return format_html(
        '<a class="dial" href="{}" title="{}">{}</a>', dial_url(e164), e164, format_phone(e164)
    )
