"""The texts of Radera konto under Mitt konto, and of the page shown once the account is deleted:
what goes, what the company keeps and why."""

from shared.i18n import Catalog

ACCOUNT_DELETION_TEXTS: Catalog = {
    "delete_account.title": {"sv": "Radera konto", "en": "Delete account"},
    "delete_account.removed_title": {"sv": "Det här raderas", "en": "What is deleted"},
    "delete_account.removed": {
        "sv": (
            "Din inloggning, din e-postadress, ditt namn, ditt lösenord, din tvåstegsverifiering "
            "och alla dina inloggningar. Du är inte längre användare i ditt företag. Du kan "
            "registrera dig igen med samma e-postadress senare, som en ny användare."
        ),
        "en": (
            "Your login, your e-mail address, your name, your password, your two-step "
            "verification and all your sessions. You are no longer a user of your company. You "
            "may register again with the same e-mail address later, as a new user."
        ),
    },
    "delete_account.kept_title": {
        "sv": "Det här sparas, och varför",
        "en": "What is kept, and why",
    },
    "delete_account.kept": {
        "sv": (
            "Företagets fakturor, även ditt namn där det visar vem som skapade eller skickade en "
            "faktura, och företagets ändringslogg. De är företagets räkenskapsinformation, som "
            "bokföringslagen (7 kap. 2 §) kräver ska sparas i sju år efter utgången av det "
            "kalenderår då räkenskapsåret avslutades. Företaget och dess uppgifter finns kvar för "
            "företagets andra användare."
        ),
        "en": (
            "The company's invoices, including your name where it shows who created or sent an "
            "invoice, and the company's change log. They are the company's accounting records, "
            "which the Swedish Bookkeeping Act (bokföringslagen, chapter 7, section 2) requires to "
            "be kept for seven years after the end of the calendar year in which the financial "
            "year ended. The company and its data remain for the company's other users."
        ),
    },
    "delete_account.export_hint": {
        "sv": (
            "Behöver företaget en kopia av sina uppgifter? Be en administratör i företaget att "
            "ladda ner dem under Företag → Exportera data innan du raderar kontot."
        ),
        "en": (
            "Does the company need a copy of its data? Ask an administrator of the company to "
            "download it under Company → Export data before you delete your account."
        ),
    },
    "delete_account.lead": {
        "sv": "Det går inte att ångra. Ange ditt lösenord{and_code} för att radera kontot.",
        "en": "This cannot be undone. Enter your password{and_code} to delete the account.",
    },
    "delete_account.button": {"sv": "Radera mitt konto", "en": "Delete my account"},
    "delete_account.last_admin": {
        "sv": (
            "Du är företagets enda administratör och företaget har andra användare. Gör en "
            "kollega till administratör under Företag → Användare innan du raderar ditt konto."
        ),
        "en": (
            "You are the company's only administrator, and the company has other users. Make a "
            "colleague an administrator under Company → Users before you delete your account."
        ),
    },
    "delete_account.last_member": {
        "sv": (
            "Du är företagets enda användare. När ditt konto är raderat kan ingen logga in för "
            "företaget; dess fakturor och uppgifter sparas ändå i sju år. Ladda ner företagets "
            "data under Företag → Exportera data innan du raderar kontot."
        ),
        "en": (
            "You are the company's only user. Once your account is deleted nobody can log in for "
            "the company; its invoices and data are kept for seven years all the same. Download "
            "the company's data under Company → Export data before you delete your account."
        ),
    },
    "delete_account.to_export": {
        "sv": "Till Företag → Exportera data",
        "en": "To Company → Export data",
    },
    "delete_account.to_users": {
        "sv": "Till Företag → Användare",
        "en": "To Company → Users",
    },
    "delete_account.deleted_title": {
        "sv": "Ditt konto är raderat",
        "en": "Your account is deleted",
    },
    "delete_account.deleted_lead": {
        "sv": (
            "Din inloggning, din e-postadress, ditt namn, ditt lösenord och din "
            "tvåstegsverifiering är borttagna, och du är inte längre användare i företaget. "
            "Företagets fakturor, även ditt namn där det visar vem som skapade eller skickade en "
            "faktura, och företagets ändringslogg sparas i sju år som bokföringslagen kräver. "
            "Behöver du något av dem, kontakta en administratör i företaget. En bekräftelse är "
            "skickad till din e-postadress."
        ),
        "en": (
            "Your login, your e-mail address, your name, your password and your two-step "
            "verification are removed, and you are no longer a user of the company. The "
            "company's invoices, including your name where it shows who created or sent an "
            "invoice, and the company's change log are kept for seven years as the Swedish "
            "Bookkeeping Act requires. If you need any of them, contact an administrator of the "
            "company. A confirmation has been sent to your e-mail address."
        ),
    },
}
