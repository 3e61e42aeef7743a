"""The supplier and the buyer as an invoice names them, from what the company service announced."""

from __future__ import annotations

from shared.events.company import BuyerChanged, SupplierProfileChanged
from shared.invoices import Party


def party_of_supplier(supplier: SupplierProfileChanged) -> Party:
    address = next((a for a in supplier.addresses if a.kind == "default"), None) or next(
        iter(supplier.addresses), None
    )
    return Party(
        name=supplier.name,
        organisation_number=supplier.organisation_number,
        vat_number=supplier.vat_number,
        street=address.street if address else "",
        postal_code=address.postal_code if address else "",
        city=address.city if address else "",
        country=address.country if address else supplier.country,
        phone=address.phone if address else None,
    )


def party_of_buyer(buyer: BuyerChanged) -> Party:
    return Party(
        name=buyer.name,
        organisation_number=buyer.organisation_number,
        vat_number=buyer.vat_number,
        street=buyer.street,
        postal_code=buyer.postal_code,
        city=buyer.city,
        country=buyer.country,
        email=buyer.email,
    )
