-- Parties other than the filing enterprise take part in some claims: the landlord of a rent
-- waiver, the provider of a voucher's service. They may read those claims and list them, so
-- the read model keeps their credit codes. A landlord's confirmation (or dispute) is kept
-- beside the claim for finance to read.
ALTER TABLE claims ADD COLUMN parties text[] NOT NULL DEFAULT '{}';
ALTER TABLE claims ADD COLUMN confirmation jsonb;
CREATE INDEX claims_parties ON claims USING gin (parties);

-- The entity type comes from the credit code (characters 1-2), never typed in; an
-- individual business (92…) has no size class.
ALTER TABLE enterprises ADD COLUMN entity_type text NOT NULL DEFAULT 'enterprise';
UPDATE enterprises SET entity_type = CASE
    WHEN credit_code LIKE '91%' THEN 'enterprise'
    WHEN credit_code LIKE '92%' THEN 'individual_business'
    WHEN credit_code LIKE '93%' THEN 'cooperative'
    ELSE 'other' END;
ALTER TABLE enterprises ALTER COLUMN entity_type DROP DEFAULT;
