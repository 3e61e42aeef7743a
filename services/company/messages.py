"""The company service's messages, as users read them next to a field or on a page."""

from shared.i18n import Catalog
from shared.identifiers import MESSAGES as IDENTIFIER_MESSAGES
from shared.sessions import REAUTHENTICATION_MESSAGES

MESSAGES: Catalog = {
    **IDENTIFIER_MESSAGES,
    **REAUTHENTICATION_MESSAGES,
    "required": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "country.invalid": {"sv": "Välj ett land i listan.", "en": "Choose a country from the list."},
    "company.missing": {
        "sv": "Fyll i företagsinformationen först.",
        "en": "Fill in the company information first.",
    },
    "company.organisation_number_taken": {
        "sv": "Organisationsnumret är redan registrerat av ett annat företag i portalen.",
        "en": "The organisation number is already registered by another company in the portal.",
    },
    "company.vat_number_taken": {
        "sv": "Momsregistreringsnumret är redan registrerat av ett annat företag i portalen.",
        "en": "The VAT number is already registered by another company in the portal.",
    },
    "vat.not_expected": {
        "sv": "Lämna fältet tomt när företaget inte har något momsregistreringsnummer.",
        "en": "Leave the field empty when the company has no VAT number.",
    },
    "terms.same_version": {
        "sv": "Version {version} är redan de gällande villkoren; ange en ny version.",
        "en": "Version {version} is already the current terms; give a new version.",
    },
    "import.columns": {
        "sv": "Raden har {found} kolumner; den ska ha e-post, förnamn, efternamn och språk.",
        "en": "The row has {found} columns; it needs e-mail, first name, last name and language.",
    },
    "import.value_invalid": {
        "sv": "Värdet är för långt eller innehåller otillåtna tecken.",
        "en": "The value is too long or holds characters that are not allowed.",
    },
    "import.duplicate": {
        "sv": "Adressen finns redan på rad {row}.",
        "en": "The address is already on row {row}.",
    },
    "import.empty": {
        "sv": "Filen innehåller inga leverantörer.",
        "en": "The file holds no suppliers.",
    },
    "import.too_many": {
        "sv": "Bjud in högst {limit} leverantörer per fil.",
        "en": "Invite at most {limit} suppliers per file.",
    },
    "rules.field_unknown": {
        "sv": "Välj ett av referensfälten.",
        "en": "Choose one of the reference fields.",
    },
    "rules.field_twice": {
        "sv": "Fältet har redan en regel.",
        "en": "The field already has a rule.",
    },
    "rules.pattern_invalid": {
        "sv": "Mönstret är inte ett giltigt reguljärt uttryck.",
        "en": "The pattern is not a valid regular expression.",
    },
    "rules.pattern_too_long": {
        "sv": "Mönstret får vara högst {limit} tecken.",
        "en": "The pattern may be at most {limit} characters.",
    },
    "rules.pattern_nested": {
        "sv": "Mönstret upprepar en grupp som själv upprepar något, vilket kan ta mycket lång tid; "
        "skriv om det utan nästlad upprepning.",
        "en": "The pattern repeats a group that itself repeats something, which can take very "
        "long; rewrite it without nested repetition.",
    },
    "rules.check_unknown": {
        "sv": "Välj en kontroll i listan.",
        "en": "Choose a check from the list.",
    },
    "rules.message_too_long": {
        "sv": "Meddelandet får vara högst 200 tecken.",
        "en": "The message may be at most 200 characters.",
    },
    "terms.not_confirmed": {
        "sv": "Bekräfta att du läst och förstått användarvillkoren.",
        "en": "Confirm that you have read and understood the terms of use.",
    },
    "connection.terms_first": {
        "sv": "Acceptera kundens användarvillkor under Setup innan du ansluter.",
        "en": "Accept the customer's terms of use under Setup before you connect.",
    },
    "bank.number_kind": {
        "sv": "Välj Bankgiro, Plusgiro eller IBAN.",
        "en": "Choose Bankgiro, Plusgiro or IBAN.",
    },
    "bank.bic_required": {
        "sv": "Ange BIC till IBAN-kontot.",
        "en": "Enter the BIC of the IBAN account.",
    },
    "email.invalid": {"sv": "Ange en giltig e-postadress.", "en": "Enter a valid e-mail address."},
    "terms.not_pdf": {
        "sv": "Användarvillkoren måste vara en PDF.",
        "en": "The terms of use must be a PDF.",
    },
    "rules.unknown": {
        "sv": "Okänd uppsättning referensregler.",
        "en": "Unknown set of reference rules.",
    },
    "channels.empty": {
        "sv": "Välj minst en väg för fakturorna: e-post, Peppol eller API.",
        "en": "Choose at least one way for the invoices: e-mail, Peppol or API.",
    },
    "channels.peppol_needs_id": {
        "sv": "Ange kundens Peppol-id för att skicka fakturor via Peppol.",
        "en": "Enter the customer's Peppol id to send invoices through Peppol.",
    },
    "operator.unauthorized": {
        "sv": "Operatörsnyckeln saknas eller är fel.",
        "en": "The operator key is missing or wrong.",
    },
    "member.admin_only": {
        "sv": "Bara företagets administratörer kan göra det här.",
        "en": "Only the company's administrators can do this.",
    },
    "member.has_account": {
        "sv": "Det finns redan ett konto med den här e-postadressen, och ett konto hör till ett "
        "enda företag.",
        "en": "There is already an account with this e-mail address, and an account belongs to "
        "one company only.",
    },
    "member.last_admin": {
        "sv": "Företaget måste ha minst en administratör.",
        "en": "The company must have at least one administrator.",
    },
    "buyer.not_member": {
        "sv": "Du är inte användare hos någon kund.",
        "en": "You are not a user of any customer.",
    },
}
