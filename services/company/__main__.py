from services.company.app import create_app
from shared.service import serve
from shared.settings import CompanySettings

settings = CompanySettings()
serve(create_app(settings), settings, "company")
