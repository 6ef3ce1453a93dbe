from django import template

from carebase.crm.identities import format_phone

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """+48221234567 → "22 123 45 67" at home, "+49 30 123456" abroad."""
    return format_phone(e164)
