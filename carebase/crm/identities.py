"""Normalising contact identities: the one place that decides what an email
address, phone number or messenger id looks like when stored and looked up."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from email_validator import EmailNotValidError, validate_email

from carebase.crm.models import IdentityKind


class IdentityError(ValueError):
    """A value that cannot be an identity of the given kind; the message says why."""


def normalize_email(raw: str) -> str:
    value = raw.strip()
    normalized = _normalized_email(value)
    if normalized is None:
        raise IdentityError(_("“%(value)s” is not a valid email address.") % {"value": value})
    return normalized


@lru_cache(maxsize=20_000)
def _normalized_email(value: str) -> str | None:
    """email-validator's verdict, remembered: it costs about a millisecond,
    and every inbound email asks it about the same few thousand senders."""
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return None
    # Mailboxes are case-insensitive in practice; one spelling per address.
    return result.normalized.lower()


def normalize_phone(raw: str, region: str | None = None) -> str:
    value = raw.strip()
    try:
        number = phonenumbers.parse(value, region or settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise IdentityError(
            _("“%(value)s” cannot be read as a phone number.") % {"value": value}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise IdentityError(_("“%(value)s” is not a valid phone number.") % {"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_TELEGRAM_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{4,31})$")


def normalize_telegram(raw: str) -> str:
    """A Telegram numeric user id, or a @username (stored lowercased with the @)."""
    value = raw.strip()
    # isascii(): Python's isdigit() also accepts other scripts' digits.
    if value.isascii() and value.isdigit() and 0 < len(value) <= 20 and int(value) > 0:
        return str(int(value))
    match = _TELEGRAM_USERNAME.match(value)
    if match:
        return "@" + match.group(1).lower()
    raise IdentityError(_("“%(value)s” is not a Telegram user id or @username.") % {"value": value})


NORMALIZERS = {
    IdentityKind.EMAIL: normalize_email,
    IdentityKind.PHONE: normalize_phone,
    IdentityKind.TELEGRAM: normalize_telegram,
    IdentityKind.WHATSAPP: normalize_phone,
}


def normalize(kind: str, raw: str) -> str:
    return NORMALIZERS[IdentityKind(kind)](raw)


def format_phone(e164: str) -> str:
    """An E.164 number for display: national format at home, international abroad."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == settings.PHONE_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
