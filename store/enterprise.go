package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
)

const enterpriseColumns = `credit_code, name, industry, employees, revenue, assets, region, size_class,
	size_rule, bank_name, account_name, account_number, created_at, updated_at, entity_type`

func scanEnterprise(row pgx.Row) (enterprise.Enterprise, error) {
	var e enterprise.Enterprise
	err := row.Scan(&e.CreditCode, &e.Name, &e.Industry, &e.Employees, &e.Revenue, &e.Assets,
		&e.Region, &e.SizeClass, &e.SizeRule, &e.Bank.BankName, &e.Bank.AccountName,
		&e.Bank.AccountNumber, &e.CreatedAt, &e.UpdatedAt, &e.EntityType)
	return e, err
}

// CreateEnterprise registers e (validated by the caller: credit code, region, size class
// computed by the sizeclass rules). Conflict when the credit code is already registered.
func (s *Store) CreateEnterprise(ctx context.Context, e enterprise.Enterprise, by access.Principal) (enterprise.Enterprise, error) {
	var out enterprise.Enterprise
	err := s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		var err error
		out, err = scanEnterprise(tx.QueryRow(ctx, `INSERT INTO enterprises
			(credit_code, name, industry, employees, revenue, assets, region, size_class, size_rule,
			 bank_name, account_name, account_number, entity_type)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			RETURNING `+enterpriseColumns,
			e.CreditCode, e.Name, e.Industry, e.Employees, e.Revenue, e.Assets, e.Region,
			e.SizeClass, e.SizeRule, e.Bank.BankName, e.Bank.AccountName, e.Bank.AccountNumber,
			entityTypeOf(e)))
		if apperr.Is(mapErr(err), apperr.Conflict) {
			return "", apperr.New(apperr.Conflict, "enterprise %s is already registered", e.CreditCode)
		}
		if err != nil {
			return "", mapErr(err)
		}
		a := entry(Meta{Actor: by}, "enterprise.registered")
		a.Details = details(out)
		_, err = appendAudit(ctx, tx, a)
		return out.CreditCode, err
	})
	return out, err
}

// GetEnterprise returns the enterprise with credit code code, or NotFound.
func (s *Store) GetEnterprise(ctx context.Context, code string) (enterprise.Enterprise, error) {
	e, err := scanEnterprise(s.pool.QueryRow(ctx, "SELECT "+enterpriseColumns+" FROM enterprises WHERE credit_code = $1", code))
	return e, orNotFound(err, "enterprise", code)
}

// UpdateBankAccount replaces where the enterprise is paid. Claims already judged keep the
// account frozen in their snapshot; payment retries read the current one.
func (s *Store) UpdateBankAccount(ctx context.Context, code string, acct enterprise.BankAccount, by access.Principal) (enterprise.Enterprise, error) {
	var out enterprise.Enterprise
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		var err error
		out, err = scanEnterprise(tx.QueryRow(ctx, `UPDATE enterprises
			SET bank_name = $2, account_name = $3, account_number = $4, updated_at = now()
			WHERE credit_code = $1 RETURNING `+enterpriseColumns,
			code, acct.BankName, acct.AccountName, acct.AccountNumber))
		if err != nil {
			return orNotFound(err, "enterprise", code)
		}
		a := entry(Meta{Actor: by}, "enterprise.bank_account_updated")
		a.Details = details(map[string]any{"credit_code": code, "bank_account": acct})
		_, err = appendAudit(ctx, tx, a)
		return err
	})
	return out, err
}

// entityTypeOf is the stored entity type: the one the caller derived, or the credit code's.
func entityTypeOf(e enterprise.Enterprise) string {
	if e.EntityType != "" {
		return e.EntityType
	}
	return string(creditcode.EntityTypeOf(e.CreditCode))
}
