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
    "invoice.created_by": {"sv": "Skapad av", "en": "Created by"},
    "invoice.sent_by": {"sv": "Skickad av", "en": "Sent by"},
    # Leverantörer
    "suppliers.title": {"sv": "Leverantörer", "en": "Suppliers"},
    "suppliers.lead": {
        "sv": "Leverantörer ni har bjudit in och hur långt de har kommit, de senaste först.",
        "en": "Suppliers you have invited and how far they have come, newest first.",
    },
    "suppliers.search": {"sv": "Sök på namn eller e-post", "en": "Search by name or e-mail"},
    "suppliers.name": {"sv": "Leverantör", "en": "Supplier"},
    "suppliers.email": {"sv": "E-post", "en": "E-mail"},
    "suppliers.state": {"sv": "Läge", "en": "State"},
    "suppliers.invited": {"sv": "Inbjuden", "en": "Invited"},
    "suppliers.expires": {"sv": "Länken gäller till", "en": "Link valid until"},
    "suppliers.state.not_registered": {
        "sv": "Inbjuden, ej registrerad",
        "en": "Invited, not registered",
    },
    "suppliers.state.expired": {"sv": "Inbjudan har gått ut", "en": "Invitation expired"},
    "suppliers.state.invited": {"sv": "Inbjuden", "en": "Invited"},
    "suppliers.state.terms_accepted": {"sv": "Villkor accepterade", "en": "Terms accepted"},
    "suppliers.state.terms_changed": {
        "sv": "Nya villkor ej accepterade",
        "en": "New terms not accepted",
    },
    "suppliers.state.connected": {"sv": "Ansluten", "en": "Connected"},
    "suppliers.none": {"sv": "Inga leverantörer matchar.", "en": "No suppliers match."},
    "suppliers.resend": {"sv": "Skicka igen", "en": "Send again"},
    "suppliers.invite": {"sv": "Bjud in en leverantör", "en": "Invite a supplier"},
    "suppliers.send": {"sv": "Skicka inbjudan", "en": "Send invitation"},
    "suppliers.import": {"sv": "Bjud in många från en fil", "en": "Invite many from a file"},
    "suppliers.import_lead": {
        "sv": "En CSV-fil med en leverantör per rad: e-post, förnamn, efternamn och språk (sv "
        "eller en), åtskilda med semikolon eller komma. En rubrikrad får finnas. Ingen bjuds in "
        "förrän alla rader är rätt.",
        "en": "A CSV file with one supplier a row: e-mail, first name, last name and language (sv "
        "or en), separated by semicolons or commas. A heading row may be there. Nobody is "
        "invited until every row is right.",
    },
    "suppliers.file": {"sv": "CSV-fil", "en": "CSV file"},
    "suppliers.file_hint": {"sv": "UTF-8, högst 1000 rader.", "en": "UTF-8, at most 1000 rows."},
    "suppliers.file_missing": {"sv": "Välj en fil.", "en": "Choose a file."},
    "suppliers.not_utf8": {
        "sv": "Filen är inte UTF-8; spara den som CSV UTF-8 och försök igen.",
        "en": "The file is not UTF-8; save it as CSV UTF-8 and try again.",
    },
    "suppliers.file_wrong": {
        "sv": "Filen har fel; ingen är inbjuden. Rätta raderna nedan och ladda upp den igen.",
        "en": "The file has errors; nobody is invited. Correct the rows below and upload it again.",
    },
    "suppliers.import_send": {"sv": "Ladda upp och bjud in", "en": "Upload and invite"},
    "suppliers.uploading": {"sv": "Uppladdning", "en": "Upload"},
    "suppliers.processing": {"sv": "Filen kontrolleras …", "en": "Checking the file …"},
    "suppliers.upload_failed": {
        "sv": "Uppladdningen misslyckades; försök igen.",
        "en": "The upload failed; try again.",
    },
    "suppliers.problems": {"sv": "Fel i filen", "en": "Errors in the file"},
    "suppliers.row": {"sv": "Rad", "en": "Row"},
    "suppliers.column": {"sv": "Kolumn", "en": "Column"},
    "suppliers.problem": {"sv": "Fel", "en": "Error"},
    "suppliers.column.email": {"sv": "E-post", "en": "E-mail"},
    "suppliers.column.first_name": {"sv": "Förnamn", "en": "First name"},
    "suppliers.column.last_name": {"sv": "Efternamn", "en": "Last name"},
    "suppliers.column.language": {"sv": "Språk", "en": "Language"},
    "suppliers.column.columns": {"sv": "Hela raden", "en": "The whole row"},
    "suppliers.notice.invited": {"sv": "Inbjudan är skickad.", "en": "The invitation is sent."},
    "suppliers.notice.resent": {
        "sv": "Inbjudan är skickad igen med en ny länk; den gamla länken fungerar inte längre.",
        "en": "The invitation is sent again with a new link; the old link no longer works.",
    },
    "suppliers.notice.imported": {
        "sv": "{count} leverantörer är inbjudna.",
        "en": "{count} suppliers are invited.",
    },
    # Villkor
    "buyer_terms.title": {"sv": "Villkor", "en": "Terms"},
    "buyer_terms.lead": {
        "sv": "Användarvillkoren som leverantörerna accepterar innan de skickar fakturor till er.",
        "en": "The terms of use your suppliers accept before they send you invoices.",
    },
    "buyer_terms.version": {"sv": "Version", "en": "Version"},
    "buyer_terms.since": {"sv": "Gäller sedan", "en": "In force since"},
    "buyer_terms.download": {
        "sv": "Ladda ner villkoren, version {version} (PDF)",
        "en": "Download the terms, version {version} (PDF)",
    },
    "buyer_terms.replace": {"sv": "Ny version av villkoren", "en": "New version of the terms"},
    "buyer_terms.replace_lead": {
        "sv": "Anslutna leverantörer måste acceptera den nya versionen under Kundanslutningar "
        "innan de kan skicka nästa faktura.",
        "en": "Connected suppliers must accept the new version under Customer connections "
        "before they can send their next invoice.",
    },
    "buyer_terms.new_version": {"sv": "Ny version", "en": "New version"},
    "buyer_terms.file": {"sv": "Villkoren (PDF)", "en": "The terms (PDF)"},
    "buyer_terms.publish": {"sv": "Publicera", "en": "Publish"},
    "buyer_terms.notice.replaced": {
        "sv": "De nya villkoren gäller; leverantörerna accepterar dem innan de skickar igen.",
        "en": "The new terms apply; suppliers accept them before they send again.",
    },
    # Referensregler
    "rules.title": {"sv": "Referensregler", "en": "Reference rules"},
    "rules.lead": {
        "sv": "Hur fakturornas referensfält ska vara ifyllda; en faktura som bryter mot en regel "
        "kan inte skickas, och leverantören ser meddelandet vid fältet.",
        "en": "How the invoices' reference fields are to be filled in; an invoice that breaks a "
        "rule cannot be sent, and the supplier sees the message at the field.",
    },
    "rules.field": {"sv": "Fält", "en": "Field"},
    "rules.field.buyer_order_number": {"sv": "Ordernummer", "en": "Order number"},
    "rules.field.payment_reference": {"sv": "Betalningsreferens", "en": "Payment reference"},
    "rules.field.buyer_reference": {"sv": "Er referens", "en": "Your reference"},
    "rules.field.contact_person": {"sv": "Kontaktperson", "en": "Contact person"},
    "rules.required": {"sv": "Obligatoriskt", "en": "Required"},
    "rules.pattern": {"sv": "Mönster (reguljärt uttryck)", "en": "Pattern (regular expression)"},
    "rules.check": {"sv": "Kontroll", "en": "Check"},
    "rules.check.none": {"sv": "Ingen", "en": "None"},
    "rules.check.ocr": {"sv": "OCR-nummer", "en": "OCR number"},
    "rules.check.person_name": {"sv": "För- och efternamn", "en": "First and last name"},
    "rules.message_sv": {"sv": "Meddelande på svenska", "en": "Message in Swedish"},
    "rules.message_en": {"sv": "Meddelande på engelska", "en": "Message in English"},
    "rules.yes": {"sv": "Ja", "en": "Yes"},
    "rules.no": {"sv": "Nej", "en": "No"},
    "rules.none": {"sv": "Inga regler.", "en": "No rules."},
    "rules.try": {"sv": "Testa ett värde", "en": "Try a value"},
    "rules.value": {"sv": "Värde", "en": "Value"},
    "rules.try_button": {"sv": "Testa", "en": "Try"},
    "rules.accepted": {"sv": "Värdet godtas.", "en": "The value is accepted."},
    "rules.refused": {"sv": "Värdet godtas inte:", "en": "The value is not accepted:"},
    "rules.edit": {"sv": "Ändra reglerna", "en": "Change the rules"},
    "rules.edit_lead": {
        "sv": "En regel per fält. Ett mönster ska matcha hela värdet.",
        "en": "One rule a field. A pattern must match the whole value.",
    },
    "rules.rule": {"sv": "Regel {number}", "en": "Rule {number}"},
    "rules.remove": {"sv": "Ta bort regel {number}", "en": "Remove rule {number}"},
    "rules.add": {"sv": "Lägg till en regel", "en": "Add a rule"},
    "rules.save": {"sv": "Spara och publicera", "en": "Save and publish"},
    "rules.notice.saved": {
        "sv": "Reglerna är sparade och gäller för fakturor som skickas från nu.",
        "en": "The rules are saved and apply to invoices sent from now on.",
    },
}
