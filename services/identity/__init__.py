"""identity: users, credentials, e-mail confirmation, sessions, account deletion and invitations'
prefill.

Publishes: identity.user_registered, identity.email_confirmation_requested,
identity.email_confirmed, identity.registration_attempted_for_existing_account,
identity.password_reset_requested, identity.password_changed, identity.language_changed,
identity.user_deleted.
Consumes (queue identity.invitations): company.supplier_invited.
"""
