"""invoice: drafts, the buyer's reference rules, attachments, sending and statuses.

Publishes: invoice.sent (the whole, frozen document).
Consumes (queue invoice.company): company.supplier_profile_changed, company.buyer_changed,
company.terms_accepted, company.connection_established; (queue invoice.statuses):
invoice.rendering_failed, invoice.delivered, invoice.delivery_failed.
"""
