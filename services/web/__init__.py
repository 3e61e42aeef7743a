"""web: the pages the browser shows, on one origin; it owns no data and calls the services' APIs.

Cookies: the identity session token (HttpOnly, SameSite=Lax), a random browser secret for CSRF
tokens, the chosen language.
"""
