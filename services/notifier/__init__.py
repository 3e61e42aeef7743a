"""The notifier: sends every e-mail of the system.

Consumes from the queue `notifier.mail`: identity's EmailConfirmationRequested,
RegistrationAttemptedForExistingAccount, PasswordResetRequested and PasswordChanged, and company's
SupplierInvited. Publishes nothing.

A handler renders the e-mail in the recipient's language and stores it as a pending row in the
same transaction that marks the event processed; the mailer sends pending rows over SMTP and marks
each sent in the transaction that holds it. A redelivered event therefore adds no second mail, and
a mail waits in the table, retried with back-off, for as long as the SMTP server is unreachable.
"""
