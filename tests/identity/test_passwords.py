import pytest

from services.identity.passwords import common_passwords, problems


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Räls-2026-Spår", []),
        ("Kort1!", ["password.too_short"]),
        ("Langtlosenord12", ["password.no_special"]),
        ("långt-lösen-12", ["password.no_lower_and_upper"]),
        ("LÅNGT-LÖSEN-12", ["password.no_lower_and_upper"]),
        ("Långt-Lösen-ord", ["password.no_digit"]),
        ("A1!" + "x" * 126, ["password.too_long"]),
        ("Password1!", ["password.common"]),
        ("Sommar2024!", ["password.common"]),
        (
            "",
            [
                "password.too_short",
                "password.no_special",
                "password.no_lower_and_upper",
                "password.no_digit",
            ],
        ),
    ],
)
def test_each_unmet_rule_is_named(password: str, expected: list[str]) -> None:
    assert problems(password, "karin@example.com") == expected


def test_password_equal_to_the_email_is_refused() -> None:
    assert "password.is_email" in problems("Karin.Berg1@Example.com", "karin.berg1@example.com")


def test_the_common_password_list_is_long() -> None:
    assert len(common_passwords()) >= 3000


@pytest.mark.parametrize(
    "password",
    ["Liverpool1!", "Metallica#99", "Chelsea-2024", "Pikachu.123", "Gandalf!1954", "Yankees27?"],
)
def test_well_known_passwords_are_refused(password: str) -> None:
    assert problems(password, "karin@example.com") == ["password.common"]
