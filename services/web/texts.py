"""Every text of the pages, Swedish first. Labels and buttons use the buyer's guide's words."""

from shared.i18n import Catalog

TEXTS: Catalog = {
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
    "save": {"sv": "Spara", "en": "Save"},
    "saved": {"sv": "Sparat.", "en": "Saved."},
    "edit": {"sv": "Ändra", "en": "Edit"},
    "delete": {"sv": "Ta bort", "en": "Delete"},
    "cancel": {"sv": "Avbryt", "en": "Cancel"},
    "menu.main": {"sv": "Huvudmeny", "en": "Main menu"},
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
    # Privacy policy
    "privacy.title": {"sv": "Integritetspolicy", "en": "Privacy policy"},
}
