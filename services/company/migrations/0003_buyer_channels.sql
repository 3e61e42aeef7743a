-- How a buyer receives its invoices: by e-mail, through Peppol (to its participant id, `0007:`
-- and its organisation number or `0088:` and a GLN, checked by the service), or only by fetching
-- them through its API. Buyers registered before this keep receiving them by e-mail.
ALTER TABLE buyers
    ADD COLUMN peppol_id text,
    ADD COLUMN channels text[] NOT NULL DEFAULT '{mail}';
ALTER TABLE buyers ADD CONSTRAINT buyers_channels_known
    CHECK (cardinality(channels) > 0 AND channels <@ '{mail,peppol,api}'::text[]);
ALTER TABLE buyers ADD CONSTRAINT buyers_peppol_needs_id
    CHECK (peppol_id IS NOT NULL OR NOT 'peppol' = ANY (channels));
