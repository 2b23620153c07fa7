-- Token subjects are compared as people, not spellings: minted tokens carry the normalised
-- form (NFKC, case-folded, trimmed; access.NormalizeSubject). Tokens minted before hold
-- what was typed; bring them to the same form (lower() after NFKC is the case folding
-- PostgreSQL offers, equal to Go's for the names in use).
UPDATE api_tokens SET subject = lower(normalize(btrim(subject), NFKC));
