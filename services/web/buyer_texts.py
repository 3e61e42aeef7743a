"""The texts of the buyer's pages and of a company's users, Swedish first."""

from shared.i18n import Catalog

BUYER_TEXTS: Catalog = {
    "buyer_menu.invoices": {"sv": "Mottagna fakturor", "en": "Received invoices"},
    "buyer_menu.suppliers": {"sv": "Leverantörer", "en": "Suppliers"},
    "buyer_menu.terms": {"sv": "Villkor", "en": "Terms"},
    "buyer_menu.rules": {"sv": "Referensregler", "en": "Reference rules"},
    "buyer_menu.integrations": {"sv": "Integrationer", "en": "Integrations"},
    "buyer_menu.keys": {"sv": "API-nycklar", "en": "API keys"},
    "buyer_menu.webhooks": {"sv": "Webhooks", "en": "Webhooks"},
    "buyer_menu.users": {"sv": "Användare", "en": "Users"},
    "received.title": {"sv": "Mottagna fakturor", "en": "Received invoices"},
    "received.lead": {
        "sv": "Fakturor som leverantörerna har skickat till er, de senaste först.",
        "en": "Invoices your suppliers have sent you, newest first.",
    },
    "received.search": {
        "sv": "Sök på fakturanummer eller leverantör",
        "en": "Search by invoice number or supplier",
    },
    "received.status": {"sv": "Er status", "en": "Your status"},
    "received.all": {"sv": "Alla", "en": "All"},
    "received.filter.new": {"sv": "Ingen status än", "en": "No status yet"},
    "received.supplier": {"sv": "Leverantör", "en": "Supplier"},
    "received.delivery": {"sv": "Leverans", "en": "Delivery"},
    "received.sent_at": {"sv": "Mottagen", "en": "Received"},
    "received.none": {
        "sv": "Inga fakturor matchar.",
        "en": "No invoices match.",
    },
    "received.give_status": {"sv": "Ange status", "en": "Set status"},
    "received.status_lead": {
        "sv": "Leverantören ser statusen i portalen och får e-post när en faktura avvisas eller "
        "betalas.",
        "en": "The supplier sees the status in the portal and is e-mailed when an invoice is "
        "rejected or paid.",
    },
    "received.new_status": {"sv": "Status", "en": "Status"},
    "received.reason_code": {"sv": "Orsak", "en": "Reason"},
    "received.reason": {
        "sv": "Förklaring till leverantören",
        "en": "Explanation for the supplier",
    },
    "received.reason_hint": {
        "sv": "Krävs när fakturan avvisas: skriv vad leverantören behöver rätta.",
        "en": "Required when the invoice is rejected: say what the supplier must correct.",
    },
    "received.save_status": {"sv": "Spara status", "en": "Save status"},
    "received.notice.status": {"sv": "Statusen är sparad.", "en": "The status is saved."},
    "received.history": {"sv": "Statushistorik", "en": "Status history"},
    "received.no_history": {"sv": "Ingen status ännu.", "en": "No status yet."},
    "received.response_xml": {
        "sv": "Fakturasvar (XML)",
        "en": "Invoice Response (XML)",
    },
    "keys.title": {"sv": "API-nycklar", "en": "API keys"},
    "keys.lead": {
        "sv": "Med en nyckel hämtar era system mottagna fakturor och ger dem status via API:t. "
        "Ge varje system en egen nyckel, så kan ni återkalla den utan att störa de andra.",
        "en": "With a key your systems fetch received invoices and give them statuses through "
        "the API. Give each system a key of its own, so you can revoke it without disturbing "
        "the others.",
    },
    "keys.name": {"sv": "Namn", "en": "Name"},
    "keys.name_hint": {
        "sv": "Vilket system som använder nyckeln, t.ex. Ekonomisystemet.",
        "en": "Which system uses the key, e.g. The finance system.",
    },
    "keys.create": {"sv": "Skapa nyckel", "en": "Create key"},
    "keys.issued": {
        "sv": "Här är nyckeln. Kopiera den nu: den visas bara den här gången.",
        "en": "Here is the key. Copy it now: it is shown this once only.",
    },
    "keys.prefix": {"sv": "Början", "en": "Begins with"},
    "keys.created": {"sv": "Skapad", "en": "Created"},
    "keys.last_used": {"sv": "Senast använd", "en": "Last used"},
    "keys.never": {"sv": "Aldrig", "en": "Never"},
    "keys.revoked": {"sv": "Återkallad {at}", "en": "Revoked {at}"},
    "keys.revoke": {"sv": "Återkalla", "en": "Revoke"},
    "keys.none": {"sv": "Inga nycklar ännu.", "en": "No keys yet."},
    "keys.docs": {"sv": "API-dokumentation", "en": "API documentation"},
    "webhooks.title": {"sv": "Webhooks", "en": "Webhooks"},
    "webhooks.lead": {
        "sv": "Portalen meddelar era system på de här adresserna när en faktura kommer in och "
        "när ni ger en faktura status, signerat enligt Standard Webhooks.",
        "en": "The portal tells your systems at these addresses when an invoice arrives and "
        "when you give one a status, signed as Standard Webhooks specifies.",
    },
    "webhooks.url": {"sv": "Adress (https)", "en": "Address (https)"},
    "webhooks.description": {"sv": "Beskrivning", "en": "Description"},
    "webhooks.register": {"sv": "Lägg till webhook", "en": "Add webhook"},
    "webhooks.secret": {
        "sv": "Signeringsnyckeln visas bara nu. Spara den i systemet som tar emot:",
        "en": "The signing secret is shown now only. Store it in the receiving system:",
    },
    "webhooks.delete": {"sv": "Ta bort", "en": "Delete"},
    "webhooks.log": {"sv": "Leveranslogg", "en": "Delivery log"},
    "webhooks.none": {"sv": "Inga webhooks ännu.", "en": "No webhooks yet."},
    "webhooks.no_deliveries": {"sv": "Inga leveranser ännu.", "en": "No deliveries yet."},
    "webhooks.event": {"sv": "Händelse", "en": "Event"},
    "webhooks.state": {"sv": "Läge", "en": "State"},
    "webhooks.attempts": {"sv": "Försök", "en": "Attempts"},
    "webhooks.last_attempt": {"sv": "Senaste försök", "en": "Last attempt"},
    "webhooks.answer": {"sv": "Svar", "en": "Answer"},
    "webhooks.next_attempt": {"sv": "Nästa försök", "en": "Next attempt"},
    "webhooks.state.pending": {"sv": "Väntar", "en": "Pending"},
    "webhooks.state.delivered": {"sv": "Levererad", "en": "Delivered"},
    "webhooks.state.failed": {"sv": "Gav upp", "en": "Given up"},
    "webhooks.created": {"sv": "Skapad", "en": "Created"},
    "members.title": {"sv": "Användare", "en": "Users"},
    "members.lead": {
        "sv": "De som arbetar i portalen för {company}. Administratörer ändrar företagets "
        "uppgifter, bankkonton och användare; användare skapar och skickar fakturor.",
        "en": "The people who work in the portal for {company}. Administrators change the "
        "company's details, bank accounts and users; users create and send invoices.",
    },
    "members.buyer_lead": {
        "sv": "De som arbetar i portalen för {company}. Administratörer bjuder in och ändrar "
        "användare.",
        "en": "The people who work in the portal for {company}. Administrators invite and "
        "change users.",
    },
    "members.name": {"sv": "Namn", "en": "Name"},
    "members.email": {"sv": "E-post", "en": "E-mail"},
    "members.role": {"sv": "Roll", "en": "Role"},
    "members.role.admin": {"sv": "Administratör", "en": "Administrator"},
    "members.role.user": {"sv": "Användare", "en": "User"},
    "members.you": {"sv": "du", "en": "you"},
    "members.change_role": {"sv": "Byt roll", "en": "Change role"},
    "members.remove": {"sv": "Ta bort", "en": "Remove"},
    "members.invitations": {"sv": "Väntande inbjudningar", "en": "Pending invitations"},
    "members.expires": {"sv": "Gäller till", "en": "Valid until"},
    "members.invite": {"sv": "Bjud in en användare", "en": "Invite a user"},
    "members.first_name": {"sv": "Förnamn", "en": "First name"},
    "members.last_name": {"sv": "Efternamn", "en": "Last name"},
    "members.language": {"sv": "Språk i inbjudan", "en": "Language of the invitation"},
    "members.send": {"sv": "Skicka inbjudan", "en": "Send invitation"},
    "members.notice.invited": {
        "sv": "Inbjudan är skickad.",
        "en": "The invitation is sent.",
    },
    "members.notice.changed": {"sv": "Ändringen är sparad.", "en": "The change is saved."},
}
