-- Reconciliation looks claims up by the idempotency key of their payment (a settlement's
-- key), which lives in the payment JSON; without this index that is a scan of all claims.
CREATE INDEX IF NOT EXISTS claims_payment_key ON claims ((payment->>'key')) WHERE payment IS NOT NULL;
