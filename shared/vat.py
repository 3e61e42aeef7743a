"""Which VAT choice an invoice may carry: one set of rules for the invoice form, the invoice API
and the renderer, so that nothing the form accepts is an e-invoice the official rules refuse.

The rules are those of EN 16931 (BR-S/Z/E/AE/K/G/O, CEN 1.3.16), of Peppol (every party has an
electronic address) and of Swedish VAT law where it asks for more than they do (only a supplier
registered for VAT charges VAT or reverse-charges it, and a reverse-charged invoice names the
buyer's VAT number). Each problem is a `FieldError` at the field the user can change, with a
message that says what is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from shared.errors import FieldError
from shared.i18n import Catalog
from shared.identifiers import EU_COUNTRIES
from shared.invoices import SWEDISH_VAT_RATES, Invoice, Party
from shared.peppol import electronic_address

# Every VAT choice the invoice form offers, as `<EN 16931 category>:<rate>`.
CHOICES = ("S:25", "S:12", "S:6", "Z:0", "AE:0", "E:0", "K:0", "G:0", "O:0")

# What each category asks of the seller: its VAT number, or its VAT number or another tax
# registration (F-skatt).
_NEEDS_SELLER_VAT_NUMBER = frozenset({"S", "Z", "AE", "K", "G"})
_NEEDS_SELLER_REGISTRATION = frozenset({"E"})


@dataclass(frozen=True)
class VatChoice:
    """One line's or charge's VAT choice and the field it was made in (`lines.0`)."""

    at: str
    category: str
    rate: Decimal


@dataclass(frozen=True)
class Parties:
    seller: Party
    seller_f_skatt: bool
    buyer: Party


def problems(
    choices: list[VatChoice], parties: Parties | None, delivery_date: date | None
) -> list[FieldError]:
    """Every VAT choice the invoice cannot carry, at its field; `parties` is None while the
    invoice has no buyer yet, when only the rates can be checked."""
    errors: list[FieldError] = []
    swedish_seller = parties is None or parties.seller.country == "SE"
    for choice in choices:
        errors += _rate_problems(choice, swedish_seller)
    categories = {choice.category for choice in choices}
    if "O" in categories and len(categories) > 1:
        # BR-O-11 … BR-O-14: outside the scope of VAT is the whole invoice or nothing.
        errors += [
            (f"{c.at}.vat_category", "vat.outside_scope_alone", {})
            for c in choices
            if c.category == "O"
        ]
    if parties is None:
        return errors
    if electronic_address(parties.buyer) is None:
        errors.append(("buyer_id", "vat.buyer_unaddressable", {}))
    for category in sorted(categories):
        field = next(f"{c.at}.vat_category" for c in choices if c.category == category)
        errors += [(field, code, params) for code, params in _party_problems(category, parties)]
    if "K" in categories and delivery_date is None:
        errors.append(("delivery_date", "vat.delivery_date_required", {}))
    return errors


def refusals_by_choice(parties: Parties) -> dict[str, list[FieldError]]:
    """For the form's live check: what each choice of `CHOICES` would be refused for, on its
    own, between these parties (the choices not listed are allowed)."""
    refused: dict[str, list[FieldError]] = {}
    for choice in CHOICES:
        category, _, rate = choice.partition(":")
        found = [
            problem
            for problem in problems([VatChoice("lines.0", category, Decimal(rate))], parties, None)
            if problem[0] == "lines.0.vat_category"
        ]
        if found:
            refused[choice] = found
    return refused


def invoice_problems(invoice: Invoice) -> list[FieldError]:
    """The same rules on a finished document, as the renderer receives it."""
    parties = Parties(invoice.seller, invoice.seller_f_skatt, invoice.buyer)
    return problems(choices(invoice.lines, invoice.charges), parties, invoice.delivery_date)


class _Taxed(Protocol):
    @property
    def vat_category(self) -> str: ...
    @property
    def vat_rate(self) -> Decimal: ...


def choices(lines: Sequence[_Taxed], charges: Sequence[_Taxed]) -> list[VatChoice]:
    """The VAT choices of a form's or a document's lines and charges, named by their fields."""
    return [
        VatChoice(f"{kind}.{index}", row.vat_category, row.vat_rate)
        for kind, rows in (("lines", lines), ("charges", charges))
        for index, row in enumerate(rows)
    ]


def carries_vat_identifiers(categories: set[str]) -> bool:
    """False for an invoice outside the scope of VAT, which names no VAT number (BR-O-02)."""
    return "O" not in categories


def _rate_problems(choice: VatChoice, swedish_seller: bool) -> list[FieldError]:
    if choice.category == "S":
        allowed = SWEDISH_VAT_RATES[:-1] if swedish_seller else None
        if choice.rate <= 0 or (allowed and choice.rate not in allowed):
            return [(f"{choice.at}.vat_rate", "vat.rate_standard", {})]
    elif choice.rate != 0:
        return [(f"{choice.at}.vat_rate", "vat.rate_zero", {})]
    return []


def _party_problems(category: str, parties: Parties) -> list[tuple[str, dict[str, object]]]:
    seller, buyer = parties.seller, parties.buyer
    found: list[tuple[str, dict[str, object]]] = []
    if category in _NEEDS_SELLER_VAT_NUMBER and not seller.vat_number:
        found.append(("vat.seller_vat_number", {}))
    if category in _NEEDS_SELLER_REGISTRATION and not (seller.vat_number or parties.seller_f_skatt):
        found.append(("vat.seller_registration", {}))
    if category == "AE" and not buyer.vat_number:
        found.append(("vat.reverse_charge_buyer", {}))
    if category == "K" and (buyer.country not in EU_COUNTRIES or buyer.country == seller.country):
        found.append(("vat.intra_community_buyer_country", {}))
    elif category == "K" and not buyer.vat_number:
        found.append(("vat.intra_community_buyer_vat_number", {}))
    return found


MESSAGES: Catalog = {
    "vat.rate_standard": {
        "sv": "Momssatsen ska vara 25, 12 eller 6 procent.",
        "en": "The VAT rate must be 25, 12 or 6 per cent.",
    },
    "vat.rate_zero": {
        "sv": "Med den här momskategorin ska momssatsen vara 0 procent.",
        "en": "With this VAT category the rate must be 0 per cent.",
    },
    "vat.outside_scope_alone": {
        "sv": "Utanför momsens område kan inte blandas med andra momsval på samma faktura. "
        "Skicka de raderna på en egen faktura.",
        "en": "Not subject to VAT cannot be mixed with other VAT choices on one invoice. "
        "Send those lines on an invoice of their own.",
    },
    "vat.buyer_unaddressable": {
        "sv": "Kunden saknar ett organisationsnummer eller momsregistreringsnummer som "
        "e-fakturan kan adresseras till. Be kunden komplettera sina uppgifter.",
        "en": "The customer has no organisation or VAT number the e-invoice can be addressed "
        "to. Ask the customer to complete its details.",
    },
    "vat.seller_vat_number": {
        "sv": "Det här momsvalet kräver att ditt företag har ett momsregistreringsnummer. "
        "Ange det under Företag → Företagsinformation.",
        "en": "This VAT choice requires your company's VAT number. Enter it under "
        "Company → Company information.",
    },
    "vat.seller_registration": {
        "sv": "Det här momsvalet kräver ett momsregistreringsnummer eller F-skatt för ditt "
        "företag. Ange det under Företag → Företagsinformation.",
        "en": "This VAT choice requires your company's VAT number or F-tax approval. Enter it "
        "under Company → Company information.",
    },
    "vat.reverse_charge_buyer": {
        "sv": "Omvänd betalningsskyldighet kräver kundens momsregistreringsnummer, och kunden "
        "har inget registrerat.",
        "en": "Reverse charge requires the customer's VAT number, and the customer has none "
        "registered.",
    },
    "vat.intra_community_buyer_country": {
        "sv": "Unionsintern leverans gäller bara en kund i ett annat EU-land än ditt. Välj ett "
        "annat momsval för den här kunden.",
        "en": "Intra-community supply only applies to a customer in another EU country than "
        "yours. Choose another VAT option for this customer.",
    },
    "vat.intra_community_buyer_vat_number": {
        "sv": "Unionsintern leverans kräver kundens momsregistreringsnummer, och kunden har "
        "inget registrerat.",
        "en": "Intra-community supply requires the customer's VAT number, and the customer "
        "has none registered.",
    },
    "vat.delivery_date_required": {
        "sv": "Ange leveransdatum: en unionsintern leverans ska ange när varorna levererades.",
        "en": "Enter the delivery date: an intra-community supply states when the goods were "
        "delivered.",
    },
}
