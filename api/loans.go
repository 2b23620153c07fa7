package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/filing"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// A loan of the interest subsidy is registered by its lender and lives in its own workflow
// (contract.LoanWorkflowType); each period's payout is an ordinary claim, decided and paid
// through the claims' endpoints.

type registerLoanRequest struct {
	ProgramID string                       `json:"program_id" validate:"required,max=64"`
	Loan      interest.RegistrationRequest `json:"loan"`
}

// registerLoan checks a loan against the program's rules and the LPR table, stores it and
// starts its workflow. Every refusal is a field error and stores nothing; a contract
// registered before is a 409 naming the first loan.
func (s *server) registerLoan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := principalFrom(ctx)
	if err := requireRole(p, "register loans", access.Lender); err != nil {
		return err
	}
	var req registerLoanRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	st, err := s.newLoan(ctx, p, req)
	if err != nil {
		return err
	}
	row, err := s.storeLoan(ctx, p, st)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/loans/"+row.ID)
	return writeJSON(w, http.StatusCreated, s.viewLoan(ctx, row, st.Periods))
}

// newLoan validates a registration completely and builds the loan's first state.
func (s *server) newLoan(ctx context.Context, p access.Principal, req registerLoanRequest) (contract.LoanState, error) {
	if errs := checkStruct(&req, ""); len(errs) > 0 {
		return contract.LoanState{}, invalid(errs)
	}
	params, err := s.interestParams(ctx, req.ProgramID)
	if err != nil {
		return contract.LoanState{}, err
	}
	loan, errs := req.Loan.Normalise()
	if errs != nil {
		return contract.LoanState{}, invalid(underLoan(errs))
	}
	table, err := s.store.LPRTable(ctx)
	if err != nil {
		return contract.LoanState{}, err
	}
	errs = interest.CheckRegistration(loan, params, table)
	if errs == nil {
		errs = map[string]string{}
	}
	if loan.LenderCreditCode != p.CreditCode {
		errs["lender_credit_code"] = "must be your bank's credit code (" + p.CreditCode + "): a bank registers its own loans"
	}
	if err := s.judgeBorrower(ctx, loan.BorrowerCreditCode, errs); err != nil {
		return contract.LoanState{}, err
	}
	if len(errs) > 0 {
		return contract.LoanState{}, invalid(underLoan(errs))
	}
	id := filing.NewID(contract.LoanIDPrefix)
	return contract.LoanState{LoanID: id, ProgramID: req.ProgramID, Loan: loan, Params: params,
		RegisteredBy: p, Status: contract.LoanActive, Periods: openSchedule(loan)}, nil
}

// openSchedule is a new loan's periods, all open, as its workflow will cut them.
func openSchedule(l interest.Loan) []contract.LoanPeriod {
	var out []contract.LoanPeriod
	for _, per := range interest.Periods(l, l.MaturityDate) {
		out = append(out, contract.LoanPeriod{Period: per, Status: contract.PeriodOpen})
	}
	return out
}

// interestParams loads an interest program's parameters; another kind of program, or none,
// is a field error.
func (s *server) interestParams(ctx context.Context, programID string) (interest.Params, error) {
	prg, err := s.store.GetProgram(ctx, programID)
	if apperr.Is(err, apperr.NotFound) {
		return interest.Params{}, invalid(map[string]string{"program_id": "no program has this id"})
	} else if err != nil {
		return interest.Params{}, err
	}
	if prg.Kind != program.Interest {
		return interest.Params{}, invalid(map[string]string{"program_id": "program " + prg.ID + " is a " +
			string(prg.Kind) + " program; loans are registered in interest programs"})
	}
	var params interest.Params
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return interest.Params{}, err
	}
	return params, nil
}

// judgeBorrower requires a registered small or micro borrower (POLICIES.md: "Who: a small or
// micro enterprise"), adding the refusal to errs.
func (s *server) judgeBorrower(ctx context.Context, code string, errs map[string]string) error {
	if _, bad := errs["borrower_credit_code"]; bad {
		return nil
	}
	ent, err := s.store.GetEnterprise(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		errs["borrower_credit_code"] = "enterprise " + code + " is not registered; register it before its loans"
		return nil
	}
	if err != nil {
		return err
	}
	if reason, text := interest.JudgeBorrower(ent.SizeClass); reason != "" {
		errs["borrower_credit_code"] = text
	}
	return nil
}

// underLoan puts errs under the request's loan member ("loan.principal").
func underLoan(errs map[string]string) map[string]string {
	out := map[string]string{}
	mergeFields(out, errs, "loan")
	return out
}

// storeLoan stores the loan and starts its workflow; when the start fails the loan is
// removed again and the caller may retry.
func (s *server) storeLoan(ctx context.Context, p access.Principal, st contract.LoanState) (store.Loan, error) {
	loanJSON, err := json.Marshal(st.Loan)
	if err != nil {
		return store.Loan{}, err
	}
	periods, err := json.Marshal(st.Periods)
	if err != nil {
		return store.Loan{}, err
	}
	row := store.Loan{ID: st.LoanID, ProgramID: st.ProgramID, Borrower: st.Loan.BorrowerCreditCode,
		Lender: st.Loan.LenderCreditCode, ContractKey: interest.EvidenceOf(st.Loan).Key, Loan: loanJSON,
		Status: st.Status, Periods: periods, WorkflowID: contract.LoanWorkflowID(st.LoanID), CreatedBy: p.Subject}
	meta := store.Meta{Actor: p, WorkflowID: row.WorkflowID}
	if err := s.store.InsertLoan(ctx, row, meta); err != nil {
		return store.Loan{}, err
	}
	if err := contract.StartLoan(ctx, s.temporal, st); err != nil {
		s.log.ErrorContext(ctx, "start loan workflow", "loan_id", row.ID, "err", err)
		if derr := s.store.DeleteLoan(context.WithoutCancel(ctx), row.ID, meta); derr != nil {
			s.log.ErrorContext(ctx, "remove loan whose workflow did not start", "loan_id", row.ID, "err", derr)
		}
		return store.Loan{}, apperr.New(apperr.Unavailable, "the loan could not be started; nothing was registered, please retry")
	}
	return s.store.GetLoan(ctx, row.ID)
}
