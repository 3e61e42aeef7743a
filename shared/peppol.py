"""How Peppol names a party: the electronic address it is reached at (EAS scheme and
identifier) and its legal registration identifier."""

from __future__ import annotations

import re

from shared.invoices import Party

# Peppol electronic address schemes (EAS) for organisation numbers, by country.
ORGANISATION_SCHEMES = {"SE": ("0007", 10), "NO": ("0192", 9), "DK": ("0184", 8)}
# EAS codes of VAT numbers, for parties of other countries.
VAT_SCHEMES = {
    "AT": "9914",
    "BE": "9925",
    "BG": "9926",
    "CH": "9927",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "EE": "9931",
    "ES": "9920",
    "FR": "9957",
    "GB": "9932",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
}


def electronic_address(party: Party) -> tuple[str, str] | None:
    """(EAS scheme, identifier) under which the party is reached, or None if we know none."""
    legal = legal_identifier(party)
    if legal is not None:
        return legal
    scheme = VAT_SCHEMES.get(party.country)
    if scheme is not None and party.vat_number:
        return scheme, party.vat_number
    return None


def legal_identifier(party: Party) -> tuple[str, str] | None:
    """The organisation number as its scheme wants it: `5566778899` for `556677-8899`."""
    known = ORGANISATION_SCHEMES.get(party.country)
    if known is None:
        return None
    scheme, length = known
    digits = re.sub(r"[^0-9]", "", party.organisation_number)
    # A Swedish sole trader's number is a personal identity number, sometimes with the century.
    if party.country == "SE" and len(digits) == 12:
        digits = digits[2:]
    return (scheme, digits) if len(digits) == length else None


# The identifier scheme every Peppol participant id is written in on the transport (SBDH, SMP).
PARTICIPANT_SCHEME = "iso6523-actorid-upis"


def participant_address(participant_id: str) -> tuple[str, str]:
    """`0007:5566778899` -> ("0007", "5566778899"): the EAS scheme and identifier of BT-49/BT-34."""
    scheme, _, identifier = participant_id.partition(":")
    return scheme, identifier


def participant_id(party: Party) -> str | None:
    """The party's participant id as its document's EndpointID says it (`0007:5566778899`), or
    None when it has no electronic address."""
    address = electronic_address(party)
    return None if address is None else f"{address[0]}:{address[1]}"
