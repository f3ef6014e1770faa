"""The password policy: long enough, not common, not a trivial pattern, not the username; each
refusal names the rule. No database: the policy is checked before anything is stored."""

from __future__ import annotations

import pytest

from storage.errors import InvalidInput
from storage.passwords import (
    COMMON_PASSWORDS_FILE,
    MIN_PASSWORD_LENGTH,
    check_password_policy,
    hash_password,
    verify_password,
)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("elevenchars", "at least 12"),
        ("aaaaaaaaaaaa", "pattern"),
        ("AAAAAAAAAAAAAAAAAAAA", "pattern"),
        ("abcdefghijkl", "pattern"),
        ("123456789012", "pattern"),
        ("qwerty123456", "pattern"),
        ("abababababab", "pattern"),
        ("zyxwvutsrqpo", "pattern"),
        ("aaaa1111bbbb", "pattern"),
        ("asdfghjkl;'#", "common|pattern"),
        ("password1234", "common"),
        ("Sunshine2024!", "common"),
        ("1234iloveyou!!", "common"),
        ("baseball  123", "common"),
        ("trustno1trustno1", "common"),
        ("maria.lopez-2026", "username"),
        ("My name is MARIA.LOPEZ", "username"),
    ],
)
def test_a_weak_password_is_refused_naming_the_rule(password, rule) -> None:
    with pytest.raises(InvalidInput, match=rule):
        check_password_policy(password, username="maria.lopez")


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "seven purple kites over the lake",
        "Tr0ub4dor&3-xq",
        "zanahoria azul 42 septiembre",
        "ab" * 3 + "zq-7 moon rises",
    ],
)
def test_a_strong_password_is_accepted(password) -> None:
    check_password_policy(password, username="maria.lopez")


def test_a_very_long_password_is_refused() -> None:
    with pytest.raises(InvalidInput, match="longer than"):
        check_password_policy("x7-" * 400)


def test_the_common_list_ships_with_tisa_and_says_where_it_came_from() -> None:
    assert COMMON_PASSWORDS_FILE.is_file()
    notice = (COMMON_PASSWORDS_FILE.parent / "README.md").read_text(encoding="utf-8")
    assert "Royce" in notice and "Django" in notice and "Redistribution" in notice


def test_hashing_applies_the_policy_and_verifies() -> None:
    with pytest.raises(InvalidInput, match=str(MIN_PASSWORD_LENGTH)):
        hash_password("short")
    digest = hash_password("correct horse battery staple", username="zoe")
    assert verify_password(digest, "correct horse battery staple")
    assert not verify_password(digest, "correct horse battery stapler")
    assert not verify_password("not an argon2 hash", "correct horse battery staple")
