-- How many times an address was registered before it was confirmed. When more than once, whoever
-- confirms it chooses the password then: no registrant's password is left in force.
ALTER TABLE users ADD COLUMN registrations int NOT NULL DEFAULT 1;
