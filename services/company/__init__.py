"""company: suppliers and buyers, addresses, bank accounts, invitations, terms and connections.

Publishes: company.supplier_invited, company.supplier_profile_changed, company.buyer_changed,
company.terms_accepted, company.connection_established.
Consumes (queue company.users): identity.user_registered, identity.user_deleted.
"""
