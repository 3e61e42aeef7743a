from services.invoice.app import create_app
from shared.service import serve
from shared.settings import InvoiceSettings

settings = InvoiceSettings()
serve(create_app(settings), settings, "invoice")
