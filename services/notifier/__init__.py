"""The notifier: sends every e-mail of the system, invoices to their buyers included.

Consumes from the queue `notifier.mail`: identity's EmailConfirmationRequested,
RegistrationAttemptedForExistingAccount, PasswordResetRequested, PasswordChanged and UserDeleted,
company's SupplierInvited, and the renderer's InvoiceRendered. Publishes InvoiceDelivered and
InvoiceDeliveryFailed through its outbox.

A handler renders the e-mail in the recipient's language and stores it as a pending row in the
same transaction that marks the event processed; the mailer sends pending rows over SMTP and marks
each sent in the transaction that holds it. A redelivered event therefore adds no second mail, and
a mail waits in the table, retried with back-off, for as long as the SMTP server is unreachable.

For InvoiceRendered the handler first fetches the PDF and the Peppol XML from the renderer and the
supplier's attachments from the invoice service (internal APIs, bearer = the internal secret),
checks each against the event's SHA-256, and stores the buyer's mail with those files and the
supplier's confirmation. The buyer's mail, once accepted or rejected for good by the SMTP server,
publishes the invoice's delivery or its failure in the transaction that records that outcome.

A buyer may receive invoices by e-mail, through Peppol, or only through its API
(`invoice.rendered`'s `channels`): the Peppol sender (`peppol.py`) hands the UBL to the access
point, and an invoice is delivered when every channel that pushes it has (`delivery.py`).
"""
