"""How identities are normalised: the same person is found however the
address or number is typed."""

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebase.crm.identities import (
    IdentityError,
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_telegram,
)


@pytest.mark.parametrize(
    "typed", ["601 234 567", "601-234-567", "+48 601 234 567", "0048601234567", "(+48) 601234567"]
)
def test_every_way_of_typing_a_polish_mobile_gives_one_e164(typed):
    assert normalize_phone(typed) == "+48601234567"


def test_a_foreign_number_keeps_its_country():
    assert normalize_phone("+49 30 1234567") == "+49301234567"
    assert normalize_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("typed", ["", "abc", "12", "+48 123", "601 234 567 890 123"])
def test_unreadable_or_invalid_numbers_are_refused_with_a_reason(typed):
    with pytest.raises(IdentityError, match="phone number"):
        normalize_phone(typed)


polish_mobiles = st.builds(
    lambda prefix, rest: f"+48{prefix}{rest:06d}",
    st.sampled_from(["501", "601", "691", "721", "783", "880"]),
    st.integers(min_value=0, max_value=999_999),
)


LAYOUTS = [
    lambda n: n,  # +48601234567
    lambda n: f"{n[3:6]} {n[6:9]} {n[9:]}",  # 601 234 567
    lambda n: f"00{n[1:]}",  # 0048601234567
    lambda n: f"+48 ({n[3:6]}) {n[6:9]}-{n[9:]}",  # +48 (601) 234-567
]


@given(polish_mobiles, st.sampled_from(LAYOUTS))
def test_normalising_is_stable_for_any_valid_mobile(number, layout):
    typed = layout(number)
    once = normalize_phone(typed)
    assert once == number
    assert normalize_phone(once) == once
    assert phonenumbers.is_valid_number(phonenumbers.parse(once))


def test_phones_are_shown_nationally_at_home_and_internationally_abroad():
    assert format_phone("+48601234567") == "601 234 567"
    assert format_phone("+49301234567").startswith("+49 30")
    assert format_phone("not a number") == "not a number"


def test_emails_are_lowercased_and_checked():
    assert normalize_email("  Anna.Nowak@Example.COM ") == "anna.nowak@example.com"
    assert normalize_email("zażółć@przykład.pl") == "zażółć@przykład.pl"
    for typed in ("anna", "anna@", "@example.com", "anna@@example.com"):
        with pytest.raises(IdentityError, match="email"):
            normalize_email(typed)


@given(st.emails())
def test_any_valid_email_normalises_to_itself_on_a_second_pass(email):
    try:
        once = normalize_email(email)
    except IdentityError:
        return  # hypothesis can draw addresses the validator refuses (e.g. reserved names)
    assert normalize_email(once) == once


def test_telegram_takes_ids_and_usernames():
    assert normalize_telegram("123456789") == "123456789"
    assert normalize_telegram("@Anna_Nowak") == "@anna_nowak"
    assert normalize_telegram("anna_nowak") == "@anna_nowak"
    for typed in ("@a", "anna nowak", "@1anna", ""):
        with pytest.raises(IdentityError, match="Telegram"):
            normalize_telegram(typed)


def test_telegram_ids_are_ascii_digits_without_leading_zeros():
    assert normalize_telegram("0012345") == "12345"
    fullwidth, arabic_indic = "\uff11\uff12\uff13", "\u0663\u0664\u0665"
    for typed in (fullwidth, "0", arabic_indic):
        with pytest.raises(IdentityError):
            normalize_telegram(typed)
