"""The invoice service's messages, as users read them next to a field or on a page."""

from shared.i18n import Catalog
from shared.identifiers import MESSAGES as IDENTIFIER_MESSAGES
from shared.vat import MESSAGES as VAT_MESSAGES

MESSAGES: Catalog = {
    **IDENTIFIER_MESSAGES,
    **VAT_MESSAGES,
    "required": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "buyer_rule": {"sv": "{message_sv}", "en": "{message_en}"},
    "country.invalid": {
        "sv": "Ange landet med två bokstäver, t.ex. SE.",
        "en": "Enter the country as two letters, e.g. SE.",
    },
    "buyer_key.not_found": {
        "sv": "Ingen nyckel har det id:t eller börjar så.",
        "en": "No key has that id or begins like that.",
    },
    "buyer_key.ambiguous": {
        "sv": "Flera nycklar börjar så; ange fler tecken eller nyckelns id.",
        "en": "Several keys begin like that; give more characters or the key's id.",
    },
    "buyer_key.too_many": {
        "sv": "Högst {max} nycklar kan vara i bruk; återkalla en först.",
        "en": "At most {max} keys can be in use; revoke one first.",
    },
    "buyer.not_member": {
        "sv": "Du är inte användare hos någon kund.",
        "en": "You are not a user of any customer.",
    },
    "buyer_key.reference_invalid": {
        "sv": "Ange nyckelns id eller minst dess åtta första tecken.",
        "en": "Give the key's id or at least its first eight characters.",
    },
    "buyer_status.reason_required": {
        "sv": "Skriv varför fakturan avvisas, så att leverantören kan rätta den.",
        "en": "Say why the invoice is rejected, so that the supplier can correct it.",
    },
    "buyer_status.reason_unwanted": {
        "sv": "Bara en avvisad faktura har en orsak.",
        "en": "Only a rejected invoice has a reason.",
    },
    "buyer_status.already_rejected": {
        "sv": "Fakturan är avvisad och får ingen annan status.",
        "en": "The invoice is rejected and takes no other status.",
    },
    "buyer_status.already_paid": {
        "sv": "Fakturan är betald och får ingen annan status.",
        "en": "The invoice is paid and takes no other status.",
    },
    "buyer_status.not_delivered": {
        "sv": "Fakturan kunde inte levereras och kan inte få någon status.",
        "en": "The invoice could not be delivered and takes no status.",
    },
    "buyer_status.no_peppol_address": {
        "sv": "Fakturans parter saknar Peppol-adress, så inget fakturasvar kan skapas.",
        "en": "The invoice's parties have no Peppol address, so no Invoice Response can be made.",
    },
    "webhook.url_not_https": {
        "sv": "Ange en adress som börjar med https://.",
        "en": "Give an address that begins with https://.",
    },
    "webhook.url_invalid": {
        "sv": "Ange en fullständig webbadress, t.ex. https://system.example.se/webhooks.",
        "en": "Give a complete web address, e.g. https://system.example.com/webhooks.",
    },
    "webhook.url_too_long": {
        "sv": "Adressen får vara högst {limit} tecken.",
        "en": "The address may be at most {limit} characters.",
    },
    "webhook.url_credentials": {
        "sv": "Adressen får inte innehålla användarnamn eller lösenord; "
        "kontrollera leveranserna med signaturen i stället.",
        "en": "The address may not contain a user name or password; "
        "check the deliveries by their signature instead.",
    },
    "webhook.host_private": {
        "sv": "Adressen leder till ett internt eller privat nät, dit inga webhooks skickas.",
        "en": "The address leads to an internal or private network, where no webhooks are sent.",
    },
    "webhook.host_unknown": {
        "sv": "Adressens värdnamn finns inte i DNS.",
        "en": "The address's host name is not found in DNS.",
    },
    "webhook.too_many": {
        "sv": "Högst {limit} webhooks per köpare; ta bort en innan du lägger till en ny.",
        "en": "At most {limit} webhooks per buyer; delete one before adding another.",
    },
    "invoice.no_company": {
        "sv": "Fyll i företagsinformationen innan du fakturerar.",
        "en": "Fill in the company information before invoicing.",
    },
    "invoice.buyer_not_connected": {
        "sv": "Välj en kund som du är ansluten till.",
        "en": "Choose a customer you are connected to.",
    },
    "invoice.terms_not_accepted": {
        "sv": "Kunden har nya användarvillkor; acceptera dem under Kundanslutningar innan du "
        "skickar.",
        "en": "The customer has new terms of use; accept them under Customer connections before "
        "you send.",
    },
    "invoice.account_unknown": {
        "sv": "Välj ett av ditt företags bankkonton.",
        "en": "Choose one of your company's bank accounts.",
    },
    "invoice.number_taken": {
        "sv": "Fakturanumret är redan använt. Varje faktura behöver ett eget nummer.",
        "en": "The invoice number is already used. Every invoice needs a number of its own.",
    },
    "invoice.due_before_issue": {
        "sv": "Förfallodatum kan inte vara före fakturadatum.",
        "en": "The due date cannot be before the invoice date.",
    },
    "invoice.no_bank_account": {
        "sv": "Lägg till ett bankkonto under Profil innan du skickar.",
        "en": "Add a bank account under Profile before sending.",
    },
    "invoice.reference_required": {
        "sv": "Ange köparens referens eller köparens ordernummer.",
        "en": "Enter the buyer's reference or the buyer's order number.",
    },
    "invoice.no_lines": {"sv": "Lägg till minst en artikel.", "en": "Add at least one item."},
    "invoice.quantity_positive": {
        "sv": "Ange ett antal större än noll.",
        "en": "Enter a quantity above zero.",
    },
    "invoice.amount_positive": {
        "sv": "Ange ett belopp större än noll.",
        "en": "Enter an amount above zero.",
    },
    "invoice.unit_unknown": {"sv": "Välj en enhet i listan.", "en": "Choose a unit from the list."},
    "invoice.not_draft": {
        "sv": "Fakturan är skickad och kan inte ändras. Kreditera den eller kopiera den till ett nytt utkast.",
        "en": "The invoice is sent and cannot change. Credit it or copy it to a new draft.",
    },
    "invoice.not_sent": {"sv": "Fakturan är inte skickad.", "en": "The invoice is not sent."},
    "invoice.not_failed": {
        "sv": "Bara en misslyckad faktura kan skickas igen.",
        "en": "Only a failed invoice can be retried.",
    },
    "invoice.not_creditable": {
        "sv": "Bara en skickad faktura kan krediteras.",
        "en": "Only a sent invoice can be credited.",
    },
    "attachment.too_large": {
        "sv": "Filen är större än 10 MB.",
        "en": "The file is larger than 10 MB.",
    },
    "attachment.not_pdf": {
        "sv": "Bara PDF-filer kan bifogas.",
        "en": "Only PDF files can be attached.",
    },
    "attachment.damaged": {"sv": "PDF-filen är skadad.", "en": "The PDF file is damaged."},
    "attachment.encrypted": {
        "sv": "PDF-filen är krypterad eller lösenordsskyddad.",
        "en": "The PDF file is encrypted or password protected.",
    },
    "attachment.bomb": {
        "sv": "PDF-filen packas upp till mer än 256 MB och kan inte tas emot. "
        "Spara den med lägre upplösning och försök igen.",
        "en": "The PDF file unpacks to more than 256 MB and cannot be accepted. "
        "Save it at a lower resolution and try again.",
    },
    "attachment.scripts": {
        "sv": "PDF-filen innehåller JavaScript och kan inte tas emot. "
        "Skriv ut den till en ny PDF och försök igen.",
        "en": "The PDF file contains JavaScript and cannot be accepted. "
        "Print it to a new PDF and try again.",
    },
    "attachment.actions": {
        "sv": "PDF-filen innehåller åtgärder som körs när den öppnas eller som startar program, "
        "och kan inte tas emot. Skriv ut den till en ny PDF och försök igen.",
        "en": "The PDF file contains actions that run when it opens or that start programs, "
        "and cannot be accepted. Print it to a new PDF and try again.",
    },
    "attachment.embedded_files": {
        "sv": "PDF-filen innehåller inbäddade filer och kan inte tas emot. "
        "Bifoga varje dokument som en egen PDF.",
        "en": "The PDF file contains embedded files and cannot be accepted. "
        "Attach each document as a PDF of its own.",
    },
    "attachment.xfa": {
        "sv": "PDF-filen är ett XFA-formulär och kan inte tas emot. "
        "Skriv ut den till en vanlig PDF och försök igen.",
        "en": "The PDF file is an XFA form and cannot be accepted. "
        "Print it to an ordinary PDF and try again.",
    },
    "attachment.rich_media": {
        "sv": "PDF-filen innehåller video, ljud eller 3D och kan inte tas emot. "
        "Skriv ut den till en ny PDF och försök igen.",
        "en": "The PDF file contains video, sound or 3D and cannot be accepted. "
        "Print it to a new PDF and try again.",
    },
    "attachment.quota": {
        "sv": "Bilagorna får ta högst {quota} sammanlagt, och den här filen skulle gå över "
        "gränsen. Ta bort utkast eller bilagor som du inte längre behöver och försök igen.",
        "en": "Your attachments may take at most {quota} together, and this file would go "
        "past that. Remove drafts or attachments you no longer need and try again.",
    },
    "attachment.too_many": {
        "sv": "Högst 10 bilagor per faktura.",
        "en": "At most 10 attachments per invoice.",
    },
    "attachment.missing": {"sv": "Välj en PDF-fil.", "en": "Choose a PDF file."},
    "document.pending": {
        "sv": "Dokumentet skapas just nu. Försök igen om en stund.",
        "en": "The document is being made. Try again shortly.",
    },
}
