package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
)

const enterpriseColumns = `credit_code, name, industry, employees, revenue, assets, region, size_class,
	size_rule, bank_name, account_name, account_number, created_at, updated_at, entity_type,
	verified, verified_by, verified_at, declared_by, declared_at, declared`

func scanEnterprise(row pgx.Row) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	v := &e.Verification
	err := row.Scan(&e.CreditCode, &e.Name, &e.Industry, &e.Employees, &e.Revenue, &e.Assets,
		&e.Region, &e.SizeClass, &e.SizeRule, &e.Bank.BankName, &e.Bank.AccountName,
		&e.Bank.AccountNumber, &e.CreatedAt, &e.UpdatedAt, &e.EntityType,
		&v.Verified, &v.VerifiedBy, &v.VerifiedAt, &v.DeclaredBy, &v.DeclaredAt, &v.Declared)
	if len(v.Declared) == 0 {
		v.Declared = nil
	}
	return e, err
}

// CreateEnterprise registers e (validated by the caller: credit code, region, size class
// computed by the sizeclass rules). Conflict when the credit code is already registered.
// Registered by an administrator it is verified by them; by anyone else (an applicant
// registering itself) its figures and account are declared, unverified.
func (s *Store) CreateEnterprise(ctx context.Context, e enterprise.Enterprise, by access.Principal) (enterprise.Enterprise, error) {
	var out enterprise.Enterprise
	admin := by.Role == access.Admin
	declared := []string{}
	if !admin {
		declared = []string{enterprise.DeclaredFigures, enterprise.DeclaredBankAccount}
	}
	err := s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		var err error
		out, err = scanEnterprise(tx.QueryRow(ctx, `INSERT INTO enterprises
			(credit_code, name, industry, employees, revenue, assets, region, size_class, size_rule,
			 bank_name, account_name, account_number, entity_type,
			 verified, verified_by, verified_at, declared_by, declared_at, declared)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
			 $14, CASE WHEN $14 THEN $15 ELSE '' END, CASE WHEN $14 THEN now() END,
			 CASE WHEN $14 THEN '' ELSE $15 END, CASE WHEN $14 THEN NULL ELSE now() END, $16)
			RETURNING `+enterpriseColumns,
			e.CreditCode, e.Name, e.Industry, e.Employees, e.Revenue, e.Assets, e.Region,
			e.SizeClass, e.SizeRule, e.Bank.BankName, e.Bank.AccountName, e.Bank.AccountNumber,
			entityTypeOf(e), admin, by.Subject, declared))
		if apperr.Is(mapErr(err), apperr.Conflict) {
			return "", apperr.New(apperr.Conflict, "enterprise %s is already registered", e.CreditCode)
		}
		if err != nil {
			return "", mapErr(err)
		}
		a := entry(Meta{Actor: by}, "enterprise.registered")
		a.Details = details(s.auditedEnterprise(out))
		_, err = appendAudit(ctx, tx, a)
		return out.CreditCode, err
	})
	return out, err
}

// auditedEnterprise is an enterprise as its registration's audit row holds it: everything
// but the account number, which is masked and hashed.
func (s *Store) auditedEnterprise(e enterprise.Enterprise) map[string]any {
	return map[string]any{"credit_code": e.CreditCode, "name": e.Name, "industry": e.Industry,
		"employees": e.Employees, "revenue": e.Revenue, "assets": e.Assets, "region": e.Region,
		"entity_type": e.EntityType, "size_class": e.SizeClass, "size_rule": e.SizeRule,
		"bank_account": s.auditedBank(e.Bank), "verification": e.Verification,
		"created_at": e.CreatedAt, "updated_at": e.UpdatedAt}
}

// GetEnterprise returns the enterprise with credit code code, or NotFound.
func (s *Store) GetEnterprise(ctx context.Context, code string) (enterprise.Enterprise, error) {
	e, err := scanEnterprise(s.pool.QueryRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises WHERE credit_code = $1", code))
	return e, orNotFound(err, "enterprise", code)
}

// UpdateBankAccount replaces where the enterprise is paid. Claims already judged keep the
// account frozen in their snapshot; payment retries read the current one. A change by
// anyone but an administrator is a declaration: the enterprise is unverified again until
// an administrator verifies it. An administrator's change leaves the mark as it was (it
// does not vouch for figures someone else declared).
func (s *Store) UpdateBankAccount(ctx context.Context, code string, acct enterprise.BankAccount, by access.Principal) (enterprise.Enterprise, error) {
	var out enterprise.Enterprise
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEnterprise(tx.QueryRow(ctx, `UPDATE enterprises
			SET bank_name = $2, account_name = $3, account_number = $4, updated_at = now(),
			    declared = CASE WHEN $5 THEN declared WHEN verified THEN ARRAY['bank_account']
			                    ELSE ARRAY(SELECT DISTINCT d FROM unnest(declared || 'bank_account'::text) AS d ORDER BY d) END,
			    verified = verified AND $5,
			    declared_by = CASE WHEN $5 THEN declared_by ELSE $6 END,
			    declared_at = CASE WHEN $5 THEN declared_at ELSE now() END
			WHERE credit_code = $1 RETURNING `+enterpriseColumns,
			code, acct.BankName, acct.AccountName, acct.AccountNumber, by.Role == access.Admin, by.Subject))
		if err != nil {
			return orNotFound(err, "enterprise", code)
		}
		a := entry(Meta{Actor: by}, "enterprise.bank_account_updated")
		a.Details = details(map[string]any{"credit_code": code, "bank_account": s.auditedBank(acct),
			"verification": out.Verification})
		_, err = appendAudit(ctx, tx, a)
		return err
	})
	return out, err
}

// VerifyEnterprise records that an administrator checked what was declared about the
// enterprise (note says against what). declaredAt is the declaration the administrator
// checked: when the enterprise has been declared again since (a new account), nothing is
// verified (Conflict), so a check of the old account never vouches for a new one. Conflict
// too when there is nothing to verify.
func (s *Store) VerifyEnterprise(ctx context.Context, code string, declaredAt time.Time, note string, by access.Principal) (enterprise.Enterprise, error) {
	var out enterprise.Enterprise
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		cur, err := scanEnterprise(tx.QueryRow(ctx, "SELECT "+enterpriseColumns+
			" FROM enterprises WHERE credit_code = $1 FOR UPDATE", code))
		if err != nil {
			return orNotFound(err, "enterprise", code)
		}
		v := cur.Verification
		if v.Verified {
			return apperr.New(apperr.Conflict, "enterprise %s is already verified", code)
		}
		if v.DeclaredAt == nil || !v.DeclaredAt.Equal(declaredAt.Truncate(time.Microsecond)) {
			return apperr.New(apperr.Conflict,
				"enterprise %s was declared again since (declared_at is now %s); check the new declaration", code, formatAt(v.DeclaredAt))
		}
		out, err = scanEnterprise(tx.QueryRow(ctx, `UPDATE enterprises
			SET verified = true, verified_by = $2, verified_at = now()
			WHERE credit_code = $1 RETURNING `+enterpriseColumns, code, by.Subject))
		if err != nil {
			return mapErr(err)
		}
		a := entry(Meta{Actor: by}, "enterprise.verified")
		a.Details = details(map[string]any{"credit_code": code, "note": note, "declared_by": v.DeclaredBy,
			"declared_at": v.DeclaredAt, "declared": v.Declared, "bank_account": s.auditedBank(out.Bank)})
		_, err = appendAudit(ctx, tx, a)
		return err
	})
	return out, err
}

func formatAt(t *time.Time) string {
	if t == nil {
		return "unset"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// entityTypeOf is the stored entity type: the one the caller derived, or the credit code's.
func entityTypeOf(e enterprise.Enterprise) string {
	if e.EntityType != "" {
		return e.EntityType
	}
	return string(creditcode.EntityTypeOf(e.CreditCode))
}
