"""The texts of the invoice form's conveniences: lines imported from a file, and templates."""

from shared.i18n import Catalog

INVOICE_CONVENIENCE_TEXTS: Catalog = {
    "line_import.label": {"sv": "CSV-fil med rader", "en": "CSV file of lines"},
    "line_import.hint": {
        "sv": "En CSV-fil, t.ex. sparad som ”CSV (semikolonavgränsad)” i Excel, högst 1 MB och "
        "500 rader. Kolumnerna: Artikelnummer, Benämning, Antal, Enhet, À-pris, Moms – i den "
        "ordningen, eller med en rubrikrad som namnger dem. Enhet som st, tim, dag, kg, m, m2, "
        "m3, l eller en enhetskod; moms som 25, 12, 6 eller 0. Fakturan sparas först; raderna "
        "läggs till alla eller ingen.",
        "en": "A CSV file, e.g. saved as CSV from a spreadsheet, at most 1 MB and 500 lines. The "
        "columns: Article id, Name, Quantity, Unit, Price, VAT – in that order, or with a "
        "heading row naming them. Unit as pcs, h, day, kg, m, m2, m3, l or a unit code; VAT as "
        "25, 12, 6 or 0. The invoice is saved first; the lines are added all or none.",
    },
    "line_import.button": {"sv": "Importera rader", "en": "Import lines"},
    "line_import.failed": {
        "sv": "Inga rader importerades. Rätta filen och försök igen:",
        "en": "No lines were imported. Correct the file and try again:",
    },
    "line_import.done": {"sv": "{count} rader importerades.", "en": "{count} lines imported."},
    "template.title": {"sv": "Mallar", "en": "Templates"},
    "template.intro": {
        "sv": "Börja en ny faktura från en sparad mall: allt utom nummer och datum är ifyllt.",
        "en": "Start a new invoice from a saved template: everything but number and dates is "
        "filled in.",
    },
    "template.none_for_customer": {
        "sv": "Inga mallar för den här kunden.",
        "en": "No templates for this customer.",
    },
    "template.use": {"sv": "Ny faktura från mall", "en": "New invoice from template"},
    "template.use_named": {
        "sv": "Ny faktura från mallen {name}",
        "en": "New invoice from the template {name}",
    },
    "template.delete_named": {
        "sv": "Ta bort mallen {name}",
        "en": "Delete the template {name}",
    },
    "template.name": {"sv": "Mallens namn", "en": "Template name"},
    "template.save": {"sv": "Spara som mall", "en": "Save as template"},
    "template.save_hint": {
        "sv": "Sparar fakturan som mall för den valda kunden, utan nummer, datum och bilagor. "
        "Samma namn för samma kund ersätter den mallen.",
        "en": "Saves the invoice as a template for the chosen customer, without number, dates "
        "and attachments. The same name for the same customer replaces that template.",
    },
    "template.saved": {
        "sv": "Fakturan är sparad som mallen ”{name}”.",
        "en": 'The invoice is saved as the template "{name}".',
    },
    "template.deleted": {"sv": "Mallen är borttagen.", "en": "The template is deleted."},
    "template.payment_days": {"sv": "{days} dagars betalningsvillkor", "en": "{days} days to pay"},
}
