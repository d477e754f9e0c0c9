"""Password rules (PRODUCT.md §5.1) and the sign-up strength meter (§2.1 /signup)."""

import pytest

from citypulse.auth.password_policy import (
    SPECIAL_CHARACTERS,
    common_passwords,
    password_problem,
    password_strength,
)

GOOD = "Lisbon!Tram28"


def test_a_password_meeting_every_rule_is_accepted() -> None:
    assert password_problem(GOOD, username="ana_travels", email="ana@example.com") is None


# --- length: 8–128 -------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 7, 129, 500])
def test_length_outside_8_to_128_is_refused(length: int) -> None:
    password = ("Aa1!" * 200)[:length]
    assert password_problem(password) == "Password must be 8–128 characters"


@pytest.mark.parametrize("length", [8, 9, 127, 128])
def test_length_8_to_128_is_accepted(length: int) -> None:
    password = ("Qz7#" + "kxwvmbrt" * 20)[:length]
    assert password_problem(password) is None


# --- character classes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("LISBON!TRAM28", "a lowercase letter"),
        ("lisbon!tram28", "an uppercase letter"),
        ("Lisbon!Tram!!", "a digit"),
        ("LisbonTram28x", "a special character"),
    ],
)
def test_each_character_class_is_required(password: str, missing: str) -> None:
    problem = password_problem(password)
    assert problem is not None
    assert problem.startswith("Password needs a lowercase letter, an uppercase letter")
    assert f"({missing} is missing)" in problem


@pytest.mark.parametrize("special", list(SPECIAL_CHARACTERS))
def test_every_listed_special_character_counts(special: str) -> None:
    assert password_problem(f"Kxwvmb7{special}") is None


def test_the_special_set_is_exactly_the_one_of_section_5_1() -> None:
    assert set(SPECIAL_CHARACTERS) == set('!@#$%^&*(),.?":{}|<>-_=+[]~')


@pytest.mark.parametrize("other", [" ", "/", "\\", "'", ";", "`", "€", "é"])
def test_characters_outside_the_special_set_do_not_count(other: str) -> None:
    problem = password_problem(f"Kxwvmb7{other}x")
    assert problem is not None
    assert "(a special character is missing)" in problem


def test_non_ascii_letters_do_not_count_as_lower_or_upper_case() -> None:
    assert "(a lowercase letter is missing)" in password_problem("ÉTÉ7!ÉTÉX")
    assert "(an uppercase letter is missing)" in password_problem("été7!étéx")


# --- username and email local part ---------------------------------------------------


@pytest.mark.parametrize("password", ["Ana_Travels7!", "xANA_TRAVELS!9", "9!ana_travelsQ"])
def test_containing_the_username_in_any_case_is_refused(password: str) -> None:
    problem = password_problem(password, username="ana_travels", email="x@example.com")
    assert problem == "Password must not contain your username"


@pytest.mark.parametrize("password", ["Lisboeta2024!", "!LISBOETA7x", "My-lisboeta-9"])
def test_containing_the_email_local_part_in_any_case_is_refused(password: str) -> None:
    problem = password_problem(password, username="ana", email="Lisboeta@example.com")
    assert problem == "Password must not contain your email address"


def test_the_email_domain_may_appear() -> None:
    assert password_problem("Example!Tram28", username="ana", email="lisboeta@example.com") is None


def test_without_username_or_email_only_the_other_rules_apply() -> None:
    assert password_problem("Ana_Travels7!") is None


# --- common passwords ----------------------------------------------------------------


def test_the_common_list_has_at_least_10000_lowercase_entries() -> None:
    passwords = common_passwords()
    assert len(passwords) >= 10_000
    assert all(entry == entry.lower() for entry in passwords)
    assert {"password", "123456", "qwerty", "iloveyou", "p@ssw0rd"} <= passwords
    assert not any(entry.startswith("#") for entry in passwords)  # the header is skipped


@pytest.mark.parametrize("password", ["P@ssw0rd", "p@SSW0RD", "1Qaz!qaz", "!Qaz2wsx"])
def test_a_listed_password_is_refused_in_any_letter_case(password: str) -> None:
    assert password_problem(password) == "This password is too common; choose another"


@pytest.mark.parametrize("password", ["Password1!", "Dragon2024#", "Sunshine!99", "Qwerty_123"])
def test_a_listed_word_with_digits_and_symbols_appended_is_refused(password: str) -> None:
    """The list holds "password" but not "password1!": the stem before the decoration counts."""
    assert password.lower() not in common_passwords()
    assert password_problem(password) == "This password is too common; choose another"


def test_an_unlisted_stem_with_decoration_is_accepted() -> None:
    assert password_problem("Kxwvmbrt7!") is None


# --- strength meter ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "percent", "label"),
    [
        ("", 0, "Weak"),
        ("kxw", 20, "Weak"),  # lowercase only
        ("kxwvmbrt", 40, "Fair"),  # length + lowercase
        ("Kxwvmbrt", 60, "Good"),  # + uppercase
        ("Kxwvmbr7", 80, "Strong"),  # + digit
        ("Kxwvmb7!", 100, "Strong"),  # + special
        ("Kx7!", 80, "Strong"),  # every class but the length
    ],
)
def test_strength_counts_the_five_rules(password: str, percent: int, label: str) -> None:
    strength = password_strength(password)
    assert (strength.percent, strength.label) == (percent, label)


def test_strength_does_not_consult_username_or_common_list() -> None:
    assert password_strength("P@ssw0rd").label == "Strong"
