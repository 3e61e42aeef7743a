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
    # Privacy policy
    "privacy.title": {"sv": "Integritetspolicy", "en": "Privacy policy"},
}
