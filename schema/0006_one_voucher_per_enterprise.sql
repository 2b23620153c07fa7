-- POLICIES.md: one voucher per enterprise per program. A voucher that ended without being
-- used (refused, returned, expired, cancelled) does not count, so the enterprise may apply
-- again; a live or paid one does. The index makes a concurrent second application fail in
-- the store, whatever the API checked before.
CREATE UNIQUE INDEX claims_one_voucher_per_enterprise ON claims (program_id, credit_code)
    WHERE kind = 'voucher' AND status NOT IN ('rejected', 'withdrawn', 'expired', 'cancelled');
