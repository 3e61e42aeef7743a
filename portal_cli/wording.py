"""What the command line says, in Swedish or in English.

The language is `PORTAL_LANGUAGE` (sv or en), else the locale's when it is one of them, else
Swedish; the services are asked to answer in the same language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from shared.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalog, Language, translate

TEXTS: Catalog = {
    "company_service": {"sv": "företagstjänsten", "en": "the company service"},
    "invoice_service": {"sv": "fakturatjänsten", "en": "the invoice service"},
    "unreachable": {
        "sv": "{service} på {url} svarade inte, eller oväntat: {error}",
        "en": "{service} at {url} did not answer, or not as expected: {error}",
    },
    "unexpected": {
        "sv": "oväntat fel, inget mer gjordes: {error!r}",
        "en": "unexpected error, nothing more was done: {error!r}",
    },
    "no_such_file": {"sv": "filen finns inte: {path}", "en": "no such file: {path}"},
    "unreadable_file": {
        "sv": "filen {path} kan inte läsas: {error}",
        "en": "cannot read the file {path}: {error}",
    },
    "no_single_buyer": {
        "sv": "ingen enskild köpare heter eller har id/organisationsnummer {wanted!r};"
        " se `portal buyer list`",
        "en": "no single buyer has the name, id or organisation number {wanted!r};"
        " see `portal buyer list`",
    },
    "buyer_created": {
        "sv": "Köparen {name} ({organisation_number}) är registrerad\n  id: {id}",
        "en": "Created buyer {name} ({organisation_number})\n  id: {id}",
    },
    "buyer_channels": {
        "sv": "{name} tar emot fakturor via: {listed}\n  Peppol-id: {peppol_id}",
        "en": "{name} receives invoices by: {listed}\n  Peppol id: {peppol_id}",
    },
    "buyer_line": {
        "sv": "{id}  {organisation_number}  {name}  (villkor {terms_version})",
        "en": "{id}  {organisation_number}  {name}  (terms {terms_version})",
    },
    "invited": {
        "sv": "{email} är inbjuden till {buyer}; e-postmeddelandet är på väg.\n"
        "Inbjudningslänk (giltig till {expires}):\n  {link}",
        "en": "Invited {email} to {buyer}; the e-mail is on its way.\n"
        "Invitation link (valid until {expires}):\n  {link}",
    },
    "user_invited": {
        "sv": "{email} är inbjuden som {role} hos {buyer}; e-postmeddelandet är på väg.\n"
        "Inbjudningslänk (giltig till {expires}):\n  {link}",
        "en": "Invited {email} as {role} of {buyer}; the e-mail is on its way.\n"
        "Invitation link (valid until {expires}):\n  {link}",
    },
    "key_issued": {
        "sv": "API-nyckel för {buyer} (visas bara nu; håll den hemlig):\n  {key}\n  id: {id}\n"
        "Mottagna fakturor: GET {invoice_url}/v1/buyer/invoices med"
        " 'Authorization: Bearer <nyckel>'\n"
        "Beskrivning av API:et: {invoice_url}/v1/buyer/docs/index.html\n"
        "Återkalla nyckeln: portal buyer key --revoke {prefix}",
        "en": "API key for {buyer} (shown once; keep it secret):\n  {key}\n  id: {id}\n"
        "List received invoices: GET {invoice_url}/v1/buyer/invoices with"
        " 'Authorization: Bearer <key>'\n"
        "The API described: {invoice_url}/v1/buyer/docs/index.html\n"
        "Revoke the key: portal buyer key --revoke {prefix}",
    },
    "buyer_not_yet_known": {
        "sv": "fakturatjänsten känner inte till köparen {buyer} än; försök igen om en stund",
        "en": "the invoice service does not know the buyer {buyer} yet; try again in a moment",
    },
    "key_revoked": {
        "sv": "Nyckeln {prefix} (id {id}) för köparen {buyer_id} är återkallad sedan {revoked_at}.",
        "en": "The key {prefix} (id {id}) of the buyer {buyer_id} is revoked since {revoked_at}.",
    },
    "queues_in_shape": {
        "sv": "Ingen kö behövde flyttas.",
        "en": "No queue needed moving.",
    },
    "queue_moved": {
        "sv": "{queue}: nu en quorum-kö, {count} meddelanden flyttade",
        "en": "{queue}: now a quorum queue, {count} messages moved",
    },
}


def language(environ: Mapping[str, str] = os.environ) -> Language:
    for name in ("PORTAL_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        code = environ.get(name, "")[:2].lower()
        for known in LANGUAGES:
            if code == known:
                return known
    return DEFAULT_LANGUAGE


def say(text: str, /, **fields: object) -> str:
    return translate(TEXTS, text, language(), **fields)
