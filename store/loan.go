package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/subsidyflow/subsidyflow/apperr"
)

// Loan is a registered loan of the interest subsidy as stored: who borrowed from whom, the
// loan as registered and its schedule as the loan's workflow last wrote it. The store keeps
// both as JSON documents it does not read (it imports no rule package).
type Loan struct {
	ID          string          `json:"id"`
	ProgramID   string          `json:"program_id"`
	Borrower    string          `json:"borrower"`
	Lender      string          `json:"lender"`
	ContractKey string          `json:"contract_key"`
	Loan        json.RawMessage `json:"loan"`
	Status      string          `json:"status"`
	Periods     json.RawMessage `json:"periods"`
	Escalated   bool            `json:"escalated"`
	WorkflowID  string          `json:"workflow_id"`
	Step        int             `json:"step"`
	CreatedBy   string          `json:"created_by"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

const loanColumns = `id, program_id, borrower, lender, contract_key, loan, status, periods, escalated,
	workflow_id, step, created_by, created_at, updated_at`

func scanLoan(row pgx.Row) (Loan, error) {
	var l Loan
	var loan, periods []byte
	err := row.Scan(&l.ID, &l.ProgramID, &l.Borrower, &l.Lender, &l.ContractKey, &loan, &l.Status,
		&periods, &l.Escalated, &l.WorkflowID, &l.Step, &l.CreatedBy, &l.CreatedAt, &l.UpdatedAt)
	l.Loan, l.Periods = loan, periods
	return l, err
}

// ErrLoanRegistered is the Conflict of a second registration of a loan contract; its Extra
// names the first loan ("loan_id").
func loanRegistered(first Loan) error {
	return &apperr.Error{Code: apperr.Conflict, Extra: map[string]any{"loan_id": first.ID},
		Message: "the loan contract is already registered as loan " + first.ID}
}

// InsertLoan stores a newly registered loan and its 'loan.registered' audit row. A contract
// registered before (the same ContractKey) is a Conflict naming the first loan.
func (s *Store) InsertLoan(ctx context.Context, l Loan, m Meta) error {
	periods := l.Periods
	if len(periods) == 0 {
		periods = json.RawMessage("[]")
	}
	err := s.createTx(ctx, func(tx pgx.Tx) (string, error) {
		_, err := tx.Exec(ctx, `INSERT INTO loans
			(id, program_id, borrower, lender, contract_key, loan, status, periods, workflow_id, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			l.ID, l.ProgramID, l.Borrower, l.Lender, l.ContractKey, string(l.Loan), l.Status,
			string(periods), l.WorkflowID, l.CreatedBy)
		if err != nil {
			return "", mapErr(err)
		}
		e := entry(m, "loan.registered")
		e.ProgramID = l.ProgramID
		e.Details = details(map[string]any{"loan_id": l.ID, "loan": l.Loan})
		_, err = appendAudit(ctx, tx, e)
		return l.ID, err
	})
	if apperr.Is(err, apperr.Conflict) {
		if first, ferr := s.LoanByContract(ctx, l.ContractKey); ferr == nil {
			return loanRegistered(first)
		}
	}
	return err
}

// LoanByContract returns the loan registered under a contract key, or NotFound.
func (s *Store) LoanByContract(ctx context.Context, key string) (Loan, error) {
	l, err := scanLoan(s.pool.QueryRow(ctx, "SELECT "+loanColumns+" FROM loans WHERE contract_key = $1", key))
	return l, orNotFound(err, "loan contract", key)
}

// GetLoan returns the loan with id, or NotFound.
func (s *Store) GetLoan(ctx context.Context, id string) (Loan, error) {
	l, err := scanLoan(s.pool.QueryRow(ctx, "SELECT "+loanColumns+" FROM loans WHERE id = $1", id))
	return l, orNotFound(err, "loan", id)
}

// LoanFilter narrows ListLoans; an empty field does not filter.
type LoanFilter struct {
	Lender   string
	Borrower string
}

// MaxLoanList bounds one listing; a bank's start-up loans in one province run to hundreds.
const MaxLoanList = 1000

// ListLoans returns the newest loans first, at most MaxLoanList.
func (s *Store) ListLoans(ctx context.Context, f LoanFilter) ([]Loan, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+loanColumns+` FROM loans
		WHERE ($1 = '' OR lender = $1) AND ($2 = '' OR borrower = $2)
		ORDER BY created_at DESC, id DESC LIMIT $3`, f.Lender, f.Borrower, MaxLoanList)
	if err != nil {
		return nil, mapErr(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Loan, error) { return scanLoan(row) })
	return out, mapErr(err)
}

// DeleteLoan undoes InsertLoan when the loan's workflow could not be started: only a loan
// no workflow step has touched goes; its audit rows stay and 'loan.aborted' explains.
func (s *Store) DeleteLoan(ctx context.Context, id string, m Meta) error {
	return s.WithTx(ctx, func(tx pgx.Tx) error {
		var programID string
		err := tx.QueryRow(ctx, "DELETE FROM loans WHERE id = $1 AND step = 0 RETURNING program_id", id).Scan(&programID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return mapErr(err)
		}
		e := entry(m, "loan.aborted")
		e.ProgramID = programID
		e.Details = details(map[string]string{"loan_id": id, "reason": "the loan's workflow could not be started"})
		_, err = appendAudit(ctx, tx, e)
		return err
	})
}

// LoanChange is one write of a loan's workflow: its status and schedule, and the audit row
// that says what happened. Step grows by one per write, so a retried write is applied once.
type LoanChange struct {
	ID        string
	Step      int
	Status    string
	Periods   json.RawMessage
	Escalated bool
	Action    string
	Details   json.RawMessage
}

// ApplyLoanChange writes a loan's change and its audit row in one transaction. It reports
// false, changing nothing, when the step was already applied.
func (s *Store) ApplyLoanChange(ctx context.Context, ch LoanChange, m Meta) (bool, error) {
	applied := false
	err := s.WithTx(ctx, func(tx pgx.Tx) error {
		var programID string
		err := tx.QueryRow(ctx, `UPDATE loans SET status = $3, periods = $4, escalated = $5, step = $2,
			updated_at = now() WHERE id = $1 AND step < $2 RETURNING program_id`,
			ch.ID, ch.Step, ch.Status, string(ch.Periods), ch.Escalated).Scan(&programID)
		if errors.Is(err, pgx.ErrNoRows) {
			_, gerr := s.GetLoan(ctx, ch.ID) // missing loan, or the step is already there
			return gerr
		}
		if err != nil {
			return mapErr(err)
		}
		applied = true
		e := entry(m, ch.Action)
		e.ProgramID = programID
		e.Details = ch.Details
		if len(e.Details) == 0 {
			e.Details = details(map[string]any{"loan_id": ch.ID, "status": ch.Status})
		}
		_, err = appendAudit(ctx, tx, e)
		return err
	})
	return applied, err
}
