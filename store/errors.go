package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// PostgreSQL error codes the store reacts to.
const (
	pgUniqueViolation = "23505"
	pgCheckViolation  = "23514"
	pgForeignKey      = "23503"
	pgDuplicateDB     = "42P04"
)

// ErrBudgetInvariant means a transaction would have broken reserved + committed ≤ budget
// and PostgreSQL refused it. It is a bug in the store, never a user error.
var ErrBudgetInvariant = errors.New("store: budget invariant (reserved + committed <= budget) refused a change")

// mapErr turns driver errors into domain errors so that callers never see SQL: no row →
// NotFound, unique violation → Conflict, a missing referenced row → NotFound. Other errors
// stay internal (wrapped for the log, never shown to clients).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.NotFound, "not found")
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return fmt.Errorf("store: %w", err)
	}
	switch {
	case pe.Code == pgUniqueViolation:
		return apperr.New(apperr.Conflict, "already exists")
	case pe.Code == pgForeignKey:
		return apperr.New(apperr.NotFound, "a referenced record does not exist")
	case pe.Code == pgCheckViolation && pe.ConstraintName == "programs_budget_invariant":
		return fmt.Errorf("%w: %w", ErrBudgetInvariant, err)
	}
	return fmt.Errorf("store: %w", err)
}

// notFound is the NotFound error for a named thing.
func notFound(what, id string) error {
	return apperr.New(apperr.NotFound, "%s %q not found", what, id)
}

// orNotFound maps pgx.ErrNoRows to a NotFound naming the thing, other errors via mapErr.
func orNotFound(err error, what, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(what, id)
	}
	return mapErr(err)
}

// DataError reports whether PostgreSQL refused err's statement for the data it carried:
// SQLSTATE class 22 (data exception: a NUL byte, invalid UTF-8, a number or date out of
// range) or 23 (integrity constraint). Sending the same data again fails the same way, so
// whoever retries on errors must stop on these. It returns the SQLSTATE and message.
func DataError(err error) (code, message string, ok bool) {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || len(pe.Code) != 5 {
		return "", "", false
	}
	if class := pe.Code[:2]; class != "22" && class != "23" {
		return "", "", false
	}
	return pe.Code, pe.Message, true
}
