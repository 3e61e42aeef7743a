from services.invoice.app import create_app
from shared.service import load_settings, serve
from shared.settings import InvoiceSettings

settings = load_settings(InvoiceSettings, "invoice")
serve(create_app(settings), settings, "invoice")
