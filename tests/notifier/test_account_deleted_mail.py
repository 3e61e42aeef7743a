"""The last mail to a deleted account's address, in the language its user chose: the account is
gone, the company keeps its invoices and records for seven years, and whom to ask for them."""

from __future__ import annotations

import pytest

from tests.notifier import events
from tests.notifier.conftest import Notifier


@pytest.mark.parametrize(
    ("language", "subject", "phrases"),
    [
        (
            "sv",
            "Ditt konto är raderat",
            ["Hej Karin!", "Ditt konto i Leverantörsportalen raderades", "7 kap. 2 §"],
        ),
        (
            "en",
            "Your account has been deleted",
            ["Hi Karin,", "Your Leverantörsportalen account was deleted", "chapter 7, section 2"],
        ),
    ],
)
async def test_a_deleted_account_gets_its_last_mail_in_its_language(
    notifier: Notifier, language: str, subject: str, phrases: list[str]
) -> None:
    envelope = await notifier.publish(
        events.user_deleted(email="karin@example.se", first_name="Karin", language=language)
    )

    mail = await notifier.wait_for_mail(envelope, "account_deleted")

    assert mail.recipients == ("karin@example.se",)
    assert mail.subject == subject
    for phrase in phrases:
        assert phrase in mail.text, phrase
    assert f'<html lang="{language}">' in mail.html
