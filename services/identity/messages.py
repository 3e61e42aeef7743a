"""The identity service's messages, as users read them next to a field or on a page."""

from shared.i18n import Catalog
from shared.sessions import REAUTHENTICATION_MESSAGES

MESSAGES: Catalog = {
    **REAUTHENTICATION_MESSAGES,
    "required": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "email.invalid": {"sv": "Ange en giltig e-postadress.", "en": "Enter a valid e-mail address."},
    "password.too_short": {
        "sv": "Lösenordet måste ha minst åtta tecken.",
        "en": "The password must have at least eight characters.",
    },
    "password.too_long": {
        "sv": "Lösenordet får ha högst 128 tecken.",
        "en": "The password may have at most 128 characters.",
    },
    "password.no_special": {
        "sv": "Lösenordet måste innehålla minst ett specialtecken (t.ex. ! eller ?).",
        "en": "The password must contain at least one special character (e.g. ! or ?).",
    },
    "password.no_lower_and_upper": {
        "sv": "Lösenordet måste innehålla minst en liten och en stor bokstav.",
        "en": "The password must contain at least one lower-case and one upper-case letter.",
    },
    "password.no_digit": {
        "sv": "Lösenordet måste innehålla minst en siffra.",
        "en": "The password must contain at least one digit.",
    },
    "password.is_email": {
        "sv": "Lösenordet får inte vara din e-postadress.",
        "en": "The password must not be your e-mail address.",
    },
    "password.common": {
        "sv": "Lösenordet är för vanligt och lätt att gissa. Välj ett annat.",
        "en": "The password is too common and easy to guess. Choose another.",
    },
    "password.mismatch": {
        "sv": "Lösenorden är inte lika.",
        "en": "The passwords do not match.",
    },
    "captcha.spent": {
        "sv": "Bekräftelsen är redan använd. Bekräfta igen att du inte är en robot.",
        "en": "This confirmation has already been used. Confirm again that you are not a robot.",
    },
    "captcha.invalid": {
        "sv": "Bekräfta att du inte är en robot.",
        "en": "Please confirm that you are not a robot.",
    },
    "privacy_policy.required": {
        "sv": "Du behöver godkänna integritetspolicyn för att registrera dig.",
        "en": "You need to accept the privacy policy to register.",
    },
    "invitation.invalid": {
        "sv": "Inbjudan är ogiltig, redan använd eller har gått ut. Be din kund om en ny.",
        "en": "The invitation is invalid, already used or expired. Ask your customer for a new one.",
    },
    "confirmation.link_invalid": {
        "sv": "Länken är ogiltig eller har gått ut. Begär ett nytt bekräftelsemejl.",
        "en": "The link is invalid or has expired. Request a new confirmation e-mail.",
    },
    "confirmation.code_invalid": {
        "sv": "Koden är fel eller har gått ut.",
        "en": "The code is wrong or has expired.",
    },
    "confirmation.too_many_attempts": {
        "sv": "För många felaktiga försök. Begär ett nytt bekräftelsemejl.",
        "en": "Too many wrong attempts. Request a new confirmation e-mail.",
    },
    "login.invalid": {
        "sv": "Fel e-post eller lösenord.",
        "en": "Wrong e-mail or password.",
    },
    "login.unconfirmed": {
        "sv": (
            "Din e-postadress är inte bekräftad ännu. Klicka på länken i mejlet vi skickade, "
            "eller ange koden från mejlet."
        ),
        "en": (
            "Your e-mail address is not confirmed yet. Click the link in the e-mail we sent, "
            "or enter the code from the e-mail."
        ),
    },
    "login.throttled": {
        "sv": "För många misslyckade inloggningar. Försök igen om {seconds} sekunder.",
        "en": "Too many failed logins. Try again in {seconds} seconds.",
    },
    "login.captcha_required": {
        "sv": (
            "Kontot har haft många misslyckade inloggningar. Bekräfta att du inte är en robot "
            "och logga in igen."
        ),
        "en": (
            "The account has had many failed logins. Confirm that you are not a robot "
            "and log in again."
        ),
    },
    "session.invalid": {
        "sv": "Din session har gått ut. Logga in igen.",
        "en": "Your session has expired. Please log in again.",
    },
    "session.not_found": {
        "sv": "Sessionen finns inte eller är redan avslutad.",
        "en": "The session does not exist or has already ended.",
    },
    "reset.invalid": {
        "sv": "Länken för att återställa lösenordet är ogiltig eller har gått ut.",
        "en": "The password reset link is invalid or has expired.",
    },
    "second_factor.already_on": {
        "sv": "Tvåstegsverifiering är redan påslagen.",
        "en": "Two-step verification is already on.",
    },
    "second_factor.not_started": {
        "sv": "Börja om med att slå på tvåstegsverifiering.",
        "en": "Start again by turning two-step verification on.",
    },
    "login.second_step_expired": {
        "sv": "Inloggningen tog för lång tid eller är redan klar. Logga in igen.",
        "en": "The login took too long or is already complete. Please log in again.",
    },
}
