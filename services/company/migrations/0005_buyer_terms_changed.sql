-- When the buyer's current terms were put in place, shown on its Villkor page; a buyer registered
-- before this has had its terms since it was created.
ALTER TABLE buyers ADD COLUMN terms_changed_at timestamptz;
UPDATE buyers b SET terms_changed_at = c.created_at FROM companies c WHERE c.id = b.company_id;
