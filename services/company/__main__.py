from services.company.app import create_app
from shared.service import load_settings, serve
from shared.settings import CompanySettings

settings = load_settings(CompanySettings, "company")
serve(create_app(settings), settings, "company")
