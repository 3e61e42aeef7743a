"""Every text of the pages, Swedish first. Labels and buttons use the buyer's guide's words."""

from services.web.account_deletion_texts import ACCOUNT_DELETION_TEXTS
from services.web.buyer_texts import BUYER_TEXTS
from services.web.export_texts import EXPORT_TEXTS
from services.web.invoice_convenience_texts import INVOICE_CONVENIENCE_TEXTS
from shared.i18n import Catalog

TEXTS: Catalog = {
    **ACCOUNT_DELETION_TEXTS,
    **BUYER_TEXTS,
    **EXPORT_TEXTS,
    **INVOICE_CONVENIENCE_TEXTS,
    "portal": {"sv": "Leverantörsportalen", "en": "Supplier Portal"},
    "language": {"sv": "Språk", "en": "Language"},
    "skip": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "required_hint": {
        "sv": "Fält markerade med * måste fyllas i.",
        "en": "Fields marked * are required.",
    },
    "required": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "errors_above": {
        "sv": "Något behöver rättas. Se meddelandena vid fälten.",
        "en": "Something needs fixing. See the messages at the fields.",
    },
    # Welcome
    "welcome.title": {
        "sv": "Välkommen till Leverantörsportalen",
        "en": "Welcome to the Supplier Portal",
    },
    "welcome.lead": {
        "sv": "Registrera ditt företag, anslut till dina kunder och skicka fakturor som PDF och e-faktura.",
        "en": "Register your company, connect to your customers and send invoices as PDF and e-invoice.",
    },
    "welcome.register": {"sv": "Registrera", "en": "Register"},
    "welcome.have_account": {"sv": "Har du redan ett konto?", "en": "Already have an account?"},
    # Registration (the guide shows the English screens: Register as a New User, Email, …)
    "register.title": {"sv": "Registrera ny användare", "en": "Register as a New User"},
    "register.invited": {
        "sv": "{buyer} har bjudit in dig. Din e-postadress blir ditt användarnamn.",
        "en": "{buyer} has invited you. Your e-mail address becomes your user name.",
    },
    "register.email": {"sv": "E-post", "en": "Email"},
    "register.email_hint": {"sv": "Blir ditt användarnamn.", "en": "Becomes your user name."},
    "register.first_name": {"sv": "Förnamn", "en": "First Name"},
    "register.last_name": {"sv": "Efternamn", "en": "Last Name"},
    "register.password": {"sv": "Lösenord", "en": "Password"},
    "register.password_confirmation": {"sv": "Bekräfta lösenord", "en": "Password Confirmation"},
    "register.rules": {"sv": "Lösenordet behöver innehålla:", "en": "The password needs:"},
    "rule.length": {"sv": "Minst åtta tecken", "en": "At least eight characters"},
    "rule.special": {
        "sv": "Minst ett specialtecken (t.ex. ett utropstecken, frågetecken etc)",
        "en": "At least one special character (e.g. an exclamation or question mark)",
    },
    "rule.case": {
        "sv": "Minst en liten och en stor bokstav",
        "en": "At least one lower-case and one upper-case letter",
    },
    "rule.digit": {"sv": "Minst en siffra", "en": "At least one digit"},
    "register.robot": {"sv": "Jag är inte en robot", "en": "I'm not a robot"},
    "captcha.working": {"sv": "Kontrollerar …", "en": "Verifying …"},
    "captcha.done": {"sv": "Klart", "en": "Verified"},
    "captcha.failed": {"sv": "Det gick inte, försök igen.", "en": "That did not work, try again."},
    "captcha.needs_js": {
        "sv": "Robotkontrollen behöver JavaScript i webbläsaren.",
        "en": "The robot check needs JavaScript in the browser.",
    },
    "register.privacy": {
        "sv": "Ja, jag har läst och förstått integritetspolicyn för tjänsten",
        "en": "Yes, I have read and understood the privacy policy for the service",
    },
    "register.privacy_link": {"sv": "Läs integritetspolicyn", "en": "Read the privacy policy"},
    "register.submit": {"sv": "Registrera", "en": "Register"},
    # Confirmation
    "sent.title": {"sv": "Bekräftelsemejl har skickats", "en": "Confirmation email has been Sent"},
    "sent.lead": {
        "sv": "Vi har skickat ett mejl till {email}. Klicka på länken i mejlet, eller skriv in koden från mejlet här.",
        "en": "We have sent an e-mail to {email}. Click the link in the e-mail, or enter the code from the e-mail here.",
    },
    "sent.lead_no_email": {
        "sv": "Klicka på länken i mejlet vi skickade, eller skriv in din e-postadress och koden från mejlet här.",
        "en": "Click the link in the e-mail we sent, or enter your e-mail address and the code from the e-mail here.",
    },
    "sent.code": {"sv": "Ange kod", "en": "Enter Code"},
    "sent.confirm": {"sv": "Bekräfta", "en": "Confirm"},
    "sent.resend_lead": {"sv": "Fick du inget mejl?", "en": "Didn't get the e-mail?"},
    "sent.resend": {"sv": "Skicka ett nytt mejl", "en": "Send a new e-mail"},
    "sent.resent": {
        "sv": "Om adressen väntar på bekräftelse har vi skickat ett nytt mejl.",
        "en": "If the address is waiting for confirmation, we have sent a new e-mail.",
    },
    "confirmed.title": {"sv": "E-postadressen är bekräftad", "en": "Email Address Confirmed"},
    "confirmed.lead": {
        "sv": "Din e-postadress är nu bekräftad och du kan logga in i portalen.",
        "en": "Your e-mail address is confirmed and you can now log in to the portal.",
    },
    "confirmed.login": {"sv": "Logga in", "en": "Login"},
    "confirm_failed.title": {"sv": "Länken fungerade inte", "en": "The link did not work"},
    # Login
    "login.title": {"sv": "Logga in", "en": "Log in"},
    "login.email": {"sv": "E-post", "en": "E-mail"},
    "login.password": {"sv": "Lösenord", "en": "Password"},
    "login.submit": {"sv": "Logga in", "en": "Log in"},
    "login.forgot": {"sv": "Glömt lösenordet?", "en": "Forgot your password?"},
    "login.no_account": {"sv": "Inget konto ännu?", "en": "No account yet?"},
    "login.confirm_now": {"sv": "Bekräfta e-postadressen", "en": "Confirm the e-mail address"},
    "logged_out": {"sv": "Du är nu utloggad.", "en": "You are now logged out."},
    "logout": {"sv": "Logga ut", "en": "Log out"},
    "user_menu": {"sv": "Användarmeny", "en": "User menu"},
    # Password reset
    "forgot.title": {"sv": "Återställ lösenord", "en": "Reset password"},
    "forgot.lead": {
        "sv": "Ange din e-postadress så skickar vi en länk för att välja ett nytt lösenord.",
        "en": "Enter your e-mail address and we will send a link to choose a new password.",
    },
    "forgot.submit": {"sv": "Skicka länk", "en": "Send link"},
    "forgot.sent": {
        "sv": "Om det finns ett konto för {email} har vi skickat en länk dit. Den gäller i en timme.",
        "en": "If there is an account for {email}, we have sent a link there. It is valid for one hour.",
    },
    "reset.title": {"sv": "Välj nytt lösenord", "en": "Choose a new password"},
    "reset.after_confirmation": {
        "sv": "Din e-postadress är bekräftad. Den registrerades mer än en gång, så inget av "
        "lösenorden gäller: välj ditt lösenord här.",
        "en": "Your email address is confirmed. It was registered more than once, so none of "
        "those passwords counts: choose your password here.",
    },
    "reset.password": {"sv": "Nytt lösenord", "en": "New password"},
    "reset.submit": {"sv": "Spara lösenord", "en": "Save password"},
    "reset.done": {
        "sv": "Ditt lösenord är ändrat. Alla tidigare inloggningar är avslutade. Logga in med det nya lösenordet.",
        "en": "Your password is changed and every earlier session has ended. Log in with the new password.",
    },
    # Errors
    "csrf.title": {"sv": "Formuläret har gått ut", "en": "The form has expired"},
    "csrf.lead": {
        "sv": "Ladda om sidan och försök igen.",
        "en": "Reload the page and try again.",
    },
    "not_found.title": {"sv": "Sidan finns inte", "en": "Page not found"},
    "error.title": {"sv": "Något gick fel", "en": "Something went wrong"},
    "too_large": {"sv": "Det du skickade är för stort.", "en": "What you sent is too large."},
    "back_home": {"sv": "Till startsidan", "en": "To the start page"},
    "account.title": {"sv": "Mitt konto", "en": "My account"},
    "account.change_password": {"sv": "Byt lösenord", "en": "Change password"},
    "account.change_password_lead": {
        "sv": (
            "Ange ditt nuvarande lösenord{and_code} och välj ett nytt. När lösenordet är bytt "
            "avslutas alla dina andra inloggningar."
        ),
        "en": (
            "Enter your current password{and_code} and choose a new one. Once the password is "
            "changed, every other session of yours ends."
        ),
    },
    "account.current_password": {"sv": "Nuvarande lösenord", "en": "Current password"},
    "account.new_password_confirmation": {
        "sv": "Bekräfta nytt lösenord",
        "en": "Confirm the new password",
    },
    "account.password_changed": {
        "sv": "Lösenordet är bytt. Dina andra inloggningar är avslutade.",
        "en": "The password is changed. Your other sessions have ended.",
    },
    "account.sessions": {"sv": "Inloggningar", "en": "Sessions"},
    "account.sessions_hint": {
        "sv": (
            "Här är de webbläsare där du är inloggad. Avsluta en som du inte känner igen, "
            "och byt sedan lösenord."
        ),
        "en": (
            "These are the browsers where you are logged in. End any you don't recognise, "
            "then change your password."
        ),
    },
    "account.session_browser": {"sv": "Webbläsare", "en": "Browser"},
    "account.session_address": {"sv": "Adress", "en": "Address"},
    "account.session_created": {"sv": "Inloggad", "en": "Logged in"},
    "account.session_last_used": {"sv": "Senast använd", "en": "Last used"},
    "account.session_end": {"sv": "Avsluta", "en": "End"},
    "account.session_unknown": {"sv": "Okänd", "en": "Unknown"},
    "account.this_session": {"sv": "Den här sessionen", "en": "This session"},
    "save": {"sv": "Spara", "en": "Save"},
    "saved": {"sv": "Sparat.", "en": "Saved."},
    "edit": {"sv": "Ändra", "en": "Edit"},
    "delete": {"sv": "Ta bort", "en": "Delete"},
    "cancel": {"sv": "Avbryt", "en": "Cancel"},
    "menu.main": {"sv": "Huvudmeny", "en": "Main menu"},
    "menu.toggle": {"sv": "Meny", "en": "Menu"},
    "menu.company": {"sv": "Företag", "en": "Company"},
    # Företagsinformation
    "company.title": {"sv": "Företagsinformation", "en": "Company information"},
    "company.lead": {
        "sv": "Berätta vilket företag du fakturerar från. Alla fält markerade med en asterisk (*) måste fyllas i.",
        "en": "Tell us which company you invoice from. All fields marked with an asterisk (*) are required.",
    },
    "company.name": {"sv": "Företagsnamn", "en": "Company name"},
    "company.country": {"sv": "Land", "en": "Country"},
    "company.country_hint": {
        "sv": "Landet ditt företag skickar sina fakturor från (normalt Sverige).",
        "en": "The country your company sends its invoices from (normally Sweden).",
    },
    "company.organisation_number": {"sv": "Organisationsnummer", "en": "Organisation number"},
    "company.organisation_number_hint": {"sv": "T.ex. 556677-8899", "en": "E.g. 556677-8899"},
    "company.vat_number": {"sv": "Momsregistreringsnummer", "en": "VAT number"},
    "company.vat_number_hint": {"sv": "T.ex. SE556677889901", "en": "E.g. SE556677889901"},
    "company.no_vat_number": {
        "sv": "Mitt företag har inget momsregistreringsnummer",
        "en": "My company has no VAT number",
    },
    "company.f_skatt": {
        "sv": "Godkänd för F-skatt",
        "en": "Approved for F-tax (Godkänd för F-skatt)",
    },
    # Kundanslutningar
    "connections.title": {"sv": "Kundanslutningar", "en": "Customer connections"},
    "connections.lead": {
        "sv": "Här ser du vilka kunder som bjudit in dig till portalen. Anslut till en kund för att kunna fakturera den.",
        "en": "These are the customers that invited you to the portal. Connect to a customer to invoice it.",
    },
    "connections.customer": {"sv": "Kund", "en": "Customer"},
    "connections.state": {"sv": "Status", "en": "Status"},
    "connections.actions": {"sv": "Åtgärder", "en": "Actions"},
    "connections.connect": {"sv": "Anslut", "en": "Connect"},
    "connections.none": {
        "sv": "Ingen kund har bjudit in ditt företag ännu. En kund bjuder in dig med ett mejl.",
        "en": "No customer has invited your company yet. A customer invites you by e-mail.",
    },
    "state.invited": {"sv": "Inbjuden", "en": "Invited"},
    "state.terms_accepted": {"sv": "Villkor accepterade", "en": "Terms accepted"},
    "state.connected": {"sv": "Ansluten", "en": "Connected"},
    "state.terms_changed": {
        "sv": "Nya villkor att acceptera",
        "en": "New terms to accept",
    },
    # Inställningar för att skicka fakturor
    "setup.title": {
        "sv": "Inställningar för att skicka fakturor",
        "en": "Settings for sending invoices",
    },
    "setup.lead": {
        "sv": "För att skicka fakturor till {buyer} behöver du acceptera kundens användarvillkor.",
        "en": "To send invoices to {buyer} you need to accept the customer's terms of use.",
    },
    "setup.download": {
        "sv": "Ladda hem och läs användarvillkoren (PDF)",
        "en": "Download and read the terms of use (PDF)",
    },
    "setup.version": {"sv": "version {version}", "en": "version {version}"},
    "setup.confirm": {
        "sv": "Jag bekräftar att jag läst och förstått användarvillkoren för tjänsten",
        "en": "I confirm that I have read and understood the terms of use for the service",
    },
    "setup.accept": {"sv": "Acceptera", "en": "Accept"},
    "setup.accepted": {
        "sv": "Användarvillkoren är accepterade. Gå tillbaka till Kundanslutningar och klicka på Anslut.",
        "en": "The terms of use are accepted. Go back to Customer connections and click Connect.",
    },
    # Profil
    "profile.title": {"sv": "Profil", "en": "Profile"},
    "profile.addresses": {"sv": "Adresser", "en": "Addresses"},
    "profile.add_address": {"sv": "Lägg till en adress", "en": "Add an address"},
    "profile.edit_address": {"sv": "Ändra adressen", "en": "Edit the address"},
    "profile.accounts": {"sv": "Kontonummer", "en": "Bank accounts"},
    "profile.add_account": {"sv": "Lägg till ett konto", "en": "Add an account"},
    "profile.edit_account": {"sv": "Ändra kontot", "en": "Edit the account"},
    "address.kind": {"sv": "Typ", "en": "Type"},
    "address.name": {"sv": "Namn", "en": "Name"},
    "address.street": {"sv": "Adress", "en": "Address"},
    "address.postal_code": {"sv": "Postnummer", "en": "Postcode"},
    "address.city": {"sv": "Stad", "en": "City"},
    "address.country": {"sv": "Land", "en": "Country"},
    "address.phone": {"sv": "Telefon", "en": "Phone"},
    "kind.default": {"sv": "Förvalt", "en": "Default"},
    "kind.invoice": {"sv": "Faktura", "en": "Invoice"},
    "kind.bankgiro": {"sv": "Bankgiro", "en": "Bankgiro"},
    "kind.plusgiro": {"sv": "Plusgiro", "en": "Plusgiro"},
    "kind.iban": {"sv": "IBAN", "en": "IBAN"},
    "account.bank_name": {"sv": "Bank namn", "en": "Bank name"},
    "account.bank_country": {"sv": "Bank Land", "en": "Bank country"},
    "account.kind": {"sv": "Kontotyp", "en": "Account type"},
    "account.number": {"sv": "Kontonummer", "en": "Account number"},
    "account.number_hint": {
        "sv": "Bankgiro t.ex. 5050-1055, Plusgiro t.ex. 41234-6, IBAN t.ex. SE45 5000 0000 0583 9825 7466",
        "en": "Bankgiro e.g. 5050-1055, Plusgiro e.g. 41234-6, IBAN e.g. SE45 5000 0000 0583 9825 7466",
    },
    "account.bic_hint": {
        "sv": "Krävs för IBAN, t.ex. ESSESESS.",
        "en": "Required with IBAN, e.g. ESSESESS.",
    },
    # Fakturor
    "menu.invoices": {"sv": "Fakturor", "en": "Invoices"},
    "menu.new_invoice": {"sv": "Fakturaportal", "en": "Invoice portal"},
    "send": {"sv": "Skicka", "en": "Send"},
    "invoice_form.title": {"sv": "Fakturaportal", "en": "Invoice portal"},
    "invoice_form.required": {
        "sv": "Obligatoriska fält är markerade med (*). De måste vara ifyllda för att du ska kunna skicka fakturan.",
        "en": "Required fields are marked (*). They must be filled in before you can send the invoice.",
    },
    "invoice.seller": {"sv": "Från", "en": "From"},
    "invoice.customer": {"sv": "Kund", "en": "Customer"},
    "invoice.choose_customer": {"sv": "Välj kund", "en": "Choose a customer"},
    "invoice.no_customers": {
        "sv": "Du är inte ansluten till någon kund ännu. Anslut under Kundanslutningar.",
        "en": "You are not connected to any customer yet. Connect under Customer connections.",
    },
    "invoice.bank_account": {"sv": "Bankkonto", "en": "Bank account"},
    "invoice.number": {"sv": "Fakturanummer", "en": "Invoice number"},
    "invoice.issue_date": {"sv": "Fakturadatum", "en": "Invoice date"},
    "invoice.due_date": {"sv": "Förfallodatum", "en": "Due date"},
    "invoice.delivery_date": {"sv": "Leveransdatum", "en": "Delivery date"},
    "invoice.currency": {"sv": "Valuta", "en": "Currency"},
    "invoice.references": {"sv": "Referenser", "en": "References"},
    "invoice.buyer_order_number": {"sv": "Köparens ordernummer", "en": "Buyer's order number"},
    "invoice.payment_reference": {"sv": "Betalningsreferens", "en": "Payment reference"},
    "invoice.buyer_reference": {"sv": "Köparens referens", "en": "Buyer's reference"},
    "invoice.contact_person": {"sv": "Referensperson", "en": "Contact person"},
    "invoice.documents": {"sv": "Dokument", "en": "Documents"},
    "invoice.documents_label": {"sv": "Dokument (PDF)", "en": "Document (PDF)"},
    "invoice.documents_hint": {
        "sv": "Bifoga PDF-filer, högst 10 filer om högst 10 MB vardera.",
        "en": "Attach PDF files, at most 10 files of at most 10 MB each.",
    },
    "invoice.attach": {"sv": "Bifoga", "en": "Attach"},
    "invoice.lines": {"sv": "Artiklar", "en": "Items"},
    "invoice.charges": {"sv": "Tilläggsavgifter", "en": "Additional charges"},
    "invoice.add_line": {"sv": "Lägg till en artikel", "en": "Add an item"},
    "invoice.add_charge": {"sv": "Lägg till en tilläggsavgift", "en": "Add an additional charge"},
    "invoice.origin_country": {"sv": "Ursprungsland", "en": "Country of origin"},
    "invoice.note": {"sv": "Meddelande till kunden", "en": "Note to the customer"},
    "invoice.preview": {"sv": "Förhandsgranska PDF", "en": "Preview PDF"},
    "invoice.open_preview": {
        "sv": "Öppna förhandsgranskningen (PDF)",
        "en": "Open the preview (PDF)",
    },
    "invoice.delete_draft": {"sv": "Ta bort utkastet", "en": "Delete the draft"},
    "invoice.download_pdf": {"sv": "Ladda ner PDF", "en": "Download PDF"},
    "invoice.download_xml": {"sv": "Ladda ner e-faktura (XML)", "en": "Download e-invoice (XML)"},
    "invoice.copy": {"sv": "Kopiera", "en": "Copy"},
    "invoice.credit": {"sv": "Kreditera", "en": "Credit"},
    "invoice.retry": {"sv": "Försök igen", "en": "Try again"},
    "invoice.credits": {"sv": "Krediterar faktura", "en": "Credits invoice"},
    "kind.credit_note": {"sv": "Kreditfaktura", "en": "Credit note"},
    "line.article_id": {"sv": "Artikel ID", "en": "Item ID"},
    "line.description": {"sv": "Artikelbenämning", "en": "Item name"},
    "line.quantity": {"sv": "Antal", "en": "Quantity"},
    "line.unit": {"sv": "Enhet", "en": "Unit"},
    "line.unit_price": {"sv": "Nettopris per enhet", "en": "Net price per unit"},
    "line.vat": {"sv": "Moms (%)", "en": "VAT (%)"},
    "line.net": {"sv": "Belopp", "en": "Amount"},
    "line.remove": {"sv": "Ta bort artikeln", "en": "Remove the item"},
    "charge.description": {"sv": "Avgift", "en": "Charge"},
    "charge.amount": {"sv": "Belopp", "en": "Amount"},
    "charge.freight": {"sv": "Frakt", "en": "Freight"},
    "charge.remove": {"sv": "Ta bort avgiften", "en": "Remove the charge"},
    "vat.S:25": {"sv": "25", "en": "25"},
    "vat.S:12": {"sv": "12", "en": "12"},
    "vat.S:6": {"sv": "6", "en": "6"},
    "vat.Z:0": {"sv": "0 – nollskattesats", "en": "0 – zero rated"},
    "vat.AE:0": {"sv": "0 – omvänd betalningsskyldighet", "en": "0 – reverse charge"},
    "vat.E:0": {"sv": "0 – undantagen från moms", "en": "0 – exempt"},
    "vat.K:0": {"sv": "0 – unionsintern leverans", "en": "0 – intra-community supply"},
    "vat.G:0": {"sv": "0 – export", "en": "0 – export"},
    "vat.O:0": {"sv": "0 – utanför momsens område", "en": "0 – not subject to VAT"},
    "totals.net": {"sv": "Netto", "en": "Net"},
    "totals.tax_exclusive": {"sv": "Summa exkl. moms", "en": "Total excl. VAT"},
    "totals.tax": {"sv": "Moms", "en": "VAT"},
    "totals.payable": {"sv": "Att betala", "en": "To pay"},
    "save_choice.title": {"sv": "Spara eller skicka", "en": "Save or send"},
    "save_choice.lead": {
        "sv": "Fakturan {number} till {customer} är sparad som utkast. Vill du skicka den nu?",
        "en": "Invoice {number} to {customer} is saved as a draft. Do you want to send it now?",
    },
    "save_choice.draft": {
        "sv": "Spara fakturan för att färdigställa senare.",
        "en": "Save the invoice to finish later.",
    },
    "save_choice.send": {
        "sv": "Skicka fakturan till kunden direkt.",
        "en": "Send the invoice to the customer now.",
    },
    "save_choice.back": {"sv": "Tillbaka till fakturan", "en": "Back to the invoice"},
    "sent_invoice.title": {
        "sv": "Gratulerar, Du har nu skickat din faktura!",
        "en": "Congratulations, you have sent your invoice!",
    },
    "sent_invoice.lead": {
        "sv": "Faktura {number} är på väg till {customer} som PDF och e-faktura.",
        "en": "Invoice {number} is on its way to {customer} as PDF and e-invoice.",
    },
    "sent_invoice.show": {"sv": "Visa fakturan", "en": "Show the invoice"},
    "invoices.title": {"sv": "Fakturor", "en": "Invoices"},
    "invoices.search": {
        "sv": "Sök fakturanummer eller kund",
        "en": "Search invoice number or customer",
    },
    "invoices.status": {"sv": "Status", "en": "Status"},
    "invoices.all": {"sv": "Alla", "en": "All"},
    "invoices.find": {"sv": "Sök", "en": "Search"},
    "invoices.date": {"sv": "Datum", "en": "Date"},
    "invoices.none": {"sv": "Inga fakturor här ännu.", "en": "No invoices here yet."},
    "invoices.unnumbered": {"sv": "(utan nummer)", "en": "(no number)"},
    "invoices.pages": {"sv": "Sidor", "en": "Pages"},
    "invoices.notice.saved": {
        "sv": "Fakturan är sparad som utkast.",
        "en": "The invoice is saved as a draft.",
    },
    "invoices.notice.deleted": {"sv": "Utkastet är borttaget.", "en": "The draft is deleted."},
    "status.draft": {"sv": "Utkast", "en": "Draft"},
    "status.sent": {"sv": "Skickad", "en": "Sent"},
    "status.delivered": {"sv": "Levererad", "en": "Delivered"},
    "status.failed": {"sv": "Misslyckad", "en": "Failed"},
    # The buyer's status of a sent invoice, beside the delivery's (shared/invoice_response.py).
    "invoices.buyer_status": {"sv": "Kundens status", "en": "Customer's status"},
    "buyer_status.received": {"sv": "Mottagen", "en": "Received"},
    "buyer_status.approved": {"sv": "Godkänd", "en": "Approved"},
    "buyer_status.rejected": {"sv": "Avvisad", "en": "Rejected"},
    "buyer_status.paid": {"sv": "Betald", "en": "Paid"},
    "invoice.buyer_status": {"sv": "Kundens status", "en": "Customer's status"},
    "invoice.rejection_reason": {"sv": "Orsak", "en": "Reason"},
    # Privacy policy
    "privacy.title": {"sv": "Integritetspolicy", "en": "Privacy policy"},
    "accessibility.title": {"sv": "Tillgänglighetsredogörelse", "en": "Accessibility statement"},
    "footer": {"sv": "Sidfot", "en": "Footer"},
    # Two-step verification, the password asked again, the audit log
    "second_factor.title": {"sv": "Tvåstegsverifiering", "en": "Two-step verification"},
    "second_factor.lead_off": {
        "sv": (
            "Med tvåstegsverifiering behöver du både lösenordet och en kod från en "
            "autentiseringsapp i telefonen för att logga in och för att ändra kontonummer."
        ),
        "en": (
            "With two-step verification you need both your password and a code from an "
            "authenticator app on your phone to log in and to change bank accounts."
        ),
    },
    "second_factor.on": {
        "sv": "Tvåstegsverifiering är påslagen. Reservkoder kvar: {left}.",
        "en": "Two-step verification is on. Recovery codes left: {left}.",
    },
    "second_factor.turn_on": {
        "sv": "Slå på tvåstegsverifiering",
        "en": "Turn on two-step verification",
    },
    "second_factor.turn_off": {
        "sv": "Stäng av tvåstegsverifiering",
        "en": "Turn off two-step verification",
    },
    "second_factor.turned_off": {
        "sv": "Tvåstegsverifiering är avstängd.",
        "en": "Two-step verification is off.",
    },
    "second_factor.setup_lead": {
        "sv": (
            "Lägg till kontot i din autentiseringsapp (t.ex. Microsoft Authenticator, Google "
            "Authenticator eller FreeOTP): skriv in nyckeln nedan eller öppna länken på telefonen. "
            "Ange sedan koden som appen visar."
        ),
        "en": (
            "Add the account to your authenticator app (e.g. Microsoft Authenticator, Google "
            "Authenticator or FreeOTP): type in the key below or open the link on your phone. "
            "Then enter the code the app shows."
        ),
    },
    "second_factor.secret": {"sv": "Nyckel", "en": "Key"},
    "second_factor.uri": {"sv": "Länk för appen", "en": "Link for the app"},
    "second_factor.confirm": {"sv": "Bekräfta och slå på", "en": "Confirm and turn on"},
    "second_factor.code": {"sv": "Kod", "en": "Code"},
    "second_factor.code_hint": {
        "sv": "Sex siffror från autentiseringsappen, eller en av dina reservkoder.",
        "en": "Six digits from the authenticator app, or one of your recovery codes.",
    },
    "second_factor.first_code_hint": {
        "sv": "Sex siffror från autentiseringsappen.",
        "en": "Six digits from the authenticator app.",
    },
    "second_factor.codes_title": {"sv": "Dina reservkoder", "en": "Your recovery codes"},
    "second_factor.codes_lead": {
        "sv": (
            "Tvåstegsverifiering är påslagen. Spara de här reservkoderna på ett säkert ställe: "
            "varje kod fungerar en gång om du inte har telefonen till hands. De visas bara nu."
        ),
        "en": (
            "Two-step verification is on. Keep these recovery codes somewhere safe: each code "
            "works once if you do not have your phone at hand. They are shown only now."
        ),
    },
    "second_factor.done": {"sv": "Jag har sparat koderna", "en": "I have saved the codes"},
    "login.code_title": {"sv": "Ange koden", "en": "Enter the code"},
    "login.code_lead": {
        "sv": "Ange koden från din autentiseringsapp för att logga in.",
        "en": "Enter the code from your authenticator app to log in.",
    },
    "reauthentication.lead": {
        "sv": (
            "Ändringar av kontonummer kräver ditt lösenord{and_code}. Alla användare i företaget "
            "får ett mejl om ändringen."
        ),
        "en": (
            "Changing a bank account asks for your password{and_code}. Every user of the company "
            "is e-mailed about the change."
        ),
    },
    "reauthentication.and_code": {
        "sv": " och en kod från autentiseringsappen",
        "en": " and a code from the authenticator app",
    },
    "reauthentication.password": {"sv": "Ditt lösenord", "en": "Your password"},
    "profile.delete_account": {"sv": "Ta bort kontot", "en": "Delete the account"},
    "profile.delete_account_lead": {
        "sv": "Vill du ta bort {bank_name}, {kind} {number}?",
        "en": "Do you want to delete {bank_name}, {kind} {number}?",
    },
    "audit.title": {"sv": "Händelselogg", "en": "Audit log"},
    "audit.lead": {
        "sv": "Alla ändringar av företagets kontonummer och företagsinformation, de senaste först.",
        "en": "Every change of the company's bank accounts and company information, newest first.",
    },
    "audit.empty": {"sv": "Inga ändringar ännu.", "en": "No changes yet."},
    "audit.when": {"sv": "Tid", "en": "When"},
    "audit.who": {"sv": "Användare", "en": "User"},
    "audit.what": {"sv": "Händelse", "en": "Event"},
    "audit.before": {"sv": "Före", "en": "Before"},
    "audit.after": {"sv": "Efter", "en": "After"},
    "audit.bank_account.added": {"sv": "Bankkonto tillagt", "en": "Bank account added"},
    "audit.bank_account.changed": {"sv": "Bankkonto ändrat", "en": "Bank account changed"},
    "audit.bank_account.removed": {"sv": "Bankkonto borttaget", "en": "Bank account removed"},
    "audit.company.created": {
        "sv": "Företagsinformation sparad",
        "en": "Company information saved",
    },
    "audit.company.changed": {
        "sv": "Företagsinformation ändrad",
        "en": "Company information changed",
    },
    "audit.yes": {"sv": "ja", "en": "yes"},
    "audit.no": {"sv": "nej", "en": "no"},
}
