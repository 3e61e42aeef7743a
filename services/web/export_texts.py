"""The texts of Företag → Exportera data and of the README in the ZIP it makes."""

from shared.i18n import Catalog

EXPORT_TEXTS: Catalog = {
    "export.title": {"sv": "Exportera data", "en": "Export data"},
    "export.lead": {
        "sv": "Ladda ner allt som företaget har här som en ZIP-fil: för er egen bokföring och "
        "ert arkiv, eller för att flytta till ett annat system.",
        "en": "Download everything the company has here as one ZIP file: for your own "
        "bookkeeping and archive, or to move to another system.",
    },
    "export.contents": {"sv": "ZIP-filen innehåller", "en": "The ZIP file holds"},
    "export.contents_company": {
        "sv": "company.json – företagsuppgifter, adresser, bankkonton, kundkopplingar, "
        "användare och ändringsloggen",
        "en": "company.json – company information, addresses, bank accounts, customer "
        "connections, users and the change log",
    },
    "export.contents_templates": {
        "sv": "templates.json – fakturamallarna",
        "en": "templates.json – the invoice templates",
    },
    "export.contents_invoices": {
        "sv": "invoices.json – en lista över alla fakturor och utkast",
        "en": "invoices.json – a list of every invoice and draft",
    },
    "export.contents_folders": {
        "sv": "en mapp per faktura under invoices/ med fakturan som JSON och, när den är "
        "skickad, PDF-filen som kunden fick (PDF/A-3b med e-fakturan inbäddad), e-fakturan i "
        "Peppol BIS Billing 3 (invoice.xml) och bilagorna",
        "en": "a folder per invoice under invoices/ with the invoice as JSON and, once sent, the "
        "PDF the customer got (PDF/A-3b with the e-invoice embedded), the Peppol BIS Billing 3 "
        "e-invoice (invoice.xml) and the attachments",
    },
    "export.size": {
        "sv": "Med många fakturor kan filen bli stor och ta en stund att ladda ner.",
        "en": "With many invoices the file can be large and take a while to download.",
    },
    "export.button": {"sv": "Ladda ner ZIP-fil", "en": "Download ZIP file"},
    "export.admins_only": {
        "sv": "Bara företagets administratörer kan exportera företagets data.",
        "en": "Only the company's admins can export the company's data.",
    },
    "export.readme_title": {
        "sv": "Export från Leverantörsportalen: {company} ({organisation_number})",
        "en": "Export from Leverantörsportalen: {company} ({organisation_number})",
    },
    "export.readme_made": {
        "sv": "Gjord {moment} av {name}, med {invoices} fakturor och utkast.",
        "en": "Made {moment} by {name}, with {invoices} invoices and drafts.",
    },
    "export.readme_contents": {
        "sv": "company.json: företagsuppgifter, adresser, bankkonton, kundkopplingar, användare "
        "och ändringslogg.\r\ntemplates.json: fakturamallarna.\r\ninvoices.json: alla fakturor "
        "och utkast i korthet, med mappen där var och en finns.\r\ninvoices/<nummer>/: "
        "invoice.json (fakturan som den sparades), invoice.pdf (PDF/A-3b som kunden fick, med "
        "e-fakturan inbäddad), invoice.xml (e-fakturan, Peppol BIS Billing 3) och attachments/ "
        "(bilagorna). Utkast ligger i invoices/draft-<id>/ med bara invoice.json.",
        "en": "company.json: company information, addresses, bank accounts, customer "
        "connections, users and change log.\r\ntemplates.json: the invoice templates.\r\n"
        "invoices.json: every invoice and draft in brief, with the folder where each is.\r\n"
        "invoices/<number>/: invoice.json (the invoice as saved), invoice.pdf (PDF/A-3b as the "
        "customer got it, with the e-invoice embedded), invoice.xml (the e-invoice, Peppol BIS "
        "Billing 3) and attachments/ (the attachments). Drafts are in invoices/draft-<id>/ with "
        "invoice.json only.",
    },
    "export.readme_retention": {
        "sv": "Fakturorna är räkenskapsinformation: enligt bokföringslagen (7 kap. 2 §) ska de "
        "sparas i sju år efter utgången av det kalenderår då räkenskapsåret avslutades.",
        "en": "The invoices are accounting records: Swedish bookkeeping law (bokföringslagen, "
        "chapter 7, section 2) requires them to be kept for seven years after the end of the "
        "calendar year in which the financial year ended.",
    },
    "export.readme_missing": {
        "sv": "Dessa filer var inte färdiga när exporten gjordes; exportera igen om en stund:",
        "en": "These files were not ready when the export was made; export again in a while:",
    },
}
