-- Who made an invoice and who sent it, by name, for the invoice's page: a company has several
-- users. Invoices made before this name nobody.
ALTER TABLE invoices
    ADD COLUMN created_by uuid,
    ADD COLUMN created_by_name text,
    ADD COLUMN sent_by_name text;
