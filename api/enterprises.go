package api

import (
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/sizeclass"
	"github.com/subsidyflow/subsidyflow/store"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

type bankAccountRequest struct {
	BankName      string `json:"bank_name" validate:"required,notblank,max=200"`
	AccountName   string `json:"account_name" validate:"required,notblank,max=200"`
	AccountNumber string `json:"account_number" validate:"required,digits,min=8,max=32"`
}

type createEnterpriseRequest struct {
	CreditCode string              `json:"credit_code" validate:"required,creditcode"`
	Name       string              `json:"name" validate:"required,notblank,max=200"`
	Industry   string              `json:"industry" validate:"required,industry"`
	Employees  *int                `json:"employees" validate:"required,min=0,max=100000000"`
	Revenue    string              `json:"revenue" validate:"required,amount=nonneg"` // 10k CNY
	Assets     string              `json:"assets" validate:"required,amount=nonneg"`  // 10k CNY
	Region     string              `json:"region" validate:"required,region"`
	Bank       *bankAccountRequest `json:"bank_account" validate:"required"`
}

// createEnterprise registers an applicant. The size class is computed here from the
// figures, never accepted from the client, and stored with the rule version.
func (s *server) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "register enterprises", access.Admin, access.Applicant); err != nil {
		return err
	}
	var req createEnterpriseRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := invalid(checkStruct(&req, "")); err != nil {
		return err
	}
	if p.Role == access.Applicant && req.CreditCode != p.CreditCode {
		return apperr.New(apperr.Forbidden, "an applicant may register only its own enterprise (%s)", p.CreditCode)
	}
	e, err := req.enterprise()
	if err != nil {
		return err
	}
	created, err := s.store.CreateEnterprise(r.Context(), e, p)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/enterprises/"+created.CreditCode)
	return writeJSON(w, http.StatusCreated, viewEnterprise(created))
}

// enterprise converts a validated request and classifies it.
func (req createEnterpriseRequest) enterprise() (enterprise.Enterprise, error) {
	e := enterprise.Enterprise{CreditCode: req.CreditCode, Name: req.Name, Industry: req.Industry,
		Employees: *req.Employees, Revenue: mustDecimal(req.Revenue), Assets: mustDecimal(req.Assets),
		Region: req.Region, Bank: enterprise.BankAccount(*req.Bank),
		EntityType: string(creditcode.EntityTypeOf(req.CreditCode))}
	if e.EntityType == string(creditcode.IndividualBusiness) {
		// An individual business has no size class; it is eligible wherever a program
		// admits individual businesses (POLICIES.md, "Enterprises and their size").
		return e, nil
	}
	class, err := sizeclass.Classify(sizeclass.Inputs{Industry: e.Industry, Employees: e.Employees,
		Revenue: e.Revenue, Assets: e.Assets})
	if err != nil { // the validator has checked every input Classify refuses
		return e, apperr.InvalidFields(map[string]string{"industry": err.Error()})
	}
	e.SizeClass, e.SizeRule = string(class), sizeclass.RuleVersion
	return e, nil
}

func (s *server) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("credit_code")
	if !canSeeEnterprise(principalFrom(r.Context()), code) {
		return notVisible("enterprise", code)
	}
	e, err := s.store.GetEnterprise(r.Context(), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewEnterprise(e))
}

// updateBankAccount replaces where an enterprise is paid, then wakes every claim of it
// whose payment failed so the payment is tried again with the new account.
func (s *server) updateBankAccount(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	code := r.PathValue("credit_code")
	if err := requireRole(p, "change bank accounts", access.Admin, access.Applicant); err != nil {
		return err
	}
	if !canSeeEnterprise(p, code) {
		return notVisible("enterprise", code)
	}
	var req bankAccountRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := invalid(checkStruct(&req, "")); err != nil {
		return err
	}
	e, err := s.store.UpdateBankAccount(r.Context(), code, enterprise.BankAccount(req), p)
	if err != nil {
		return err
	}
	if err := s.resumePayments(r, code); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewEnterprise(e))
}

// resumePayments signals every claim of the enterprise whose payment failed, or is being
// sent and may be about to fail, page by page: a claim whose attempt fails after the account
// was fixed retries at once instead of waiting for a signal that already came. A failed
// signal is reported as Unavailable: the account is saved, and repeating the PUT (which is
// idempotent) signals again.
func (s *server) resumePayments(r *http.Request, code string) error {
	failed := 0
	for _, st := range []claim.Status{claim.PaymentFailed, claim.Disbursing} {
		n, err := s.signalClaims(r, store.ClaimFilter{CreditCode: code, Status: string(st), Limit: store.MaxClaimLimit})
		if err != nil {
			return err
		}
		failed += n
	}
	if failed > 0 {
		return apperr.New(apperr.Unavailable,
			"the bank account was saved but %d claim(s) could not be told to retry their payment; repeat the request", failed)
	}
	return nil
}

// signalClaims tells every claim the filter finds that the bank account changed; it returns
// how many signals failed.
func (s *server) signalClaims(r *http.Request, f store.ClaimFilter) (int, error) {
	ctx := r.Context()
	failed := 0
	for {
		claims, next, err := s.store.ListClaims(ctx, f)
		if err != nil {
			return failed, err
		}
		for _, c := range claims {
			if err := contract.Signal(ctx, s.temporal, c.ID, contract.SignalBankAccount); err != nil {
				failed++
				s.log.ErrorContext(ctx, "signal bank account change", "request_id", requestIDFrom(ctx),
					"claim_id", c.ID, "err", err)
			}
		}
		if next == "" {
			return failed, nil
		}
		f.Cursor = next
	}
}

type verifyEnterpriseRequest struct {
	// DeclaredAt is the declaration the administrator checked, as the enterprise showed it
	// (verification.declared_at): a newer one (an account changed meanwhile) is not verified.
	DeclaredAt string `json:"declared_at" validate:"required,max=64"`
	Note       string `json:"note" validate:"required,notblank,max=2000,text"` // what was checked against what
}

// verifyEnterprise records that an administrator checked what a non-administrator declared
// about an enterprise (its figures, its bank account), against the documents the note names.
func (s *server) verifyEnterprise(w http.ResponseWriter, r *http.Request) error {
	p := principalFrom(r.Context())
	if err := requireRole(p, "verify enterprises", access.Admin); err != nil {
		return err
	}
	code := r.PathValue("credit_code")
	var req verifyEnterpriseRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	errs := checkStruct(&req, "")
	at, err := time.Parse(time.RFC3339Nano, req.DeclaredAt)
	if err != nil && errs["declared_at"] == "" {
		errs["declared_at"] = "must be the enterprise's verification.declared_at, an RFC 3339 time"
	}
	if err := invalid(errs); err != nil {
		return err
	}
	e, err := s.store.VerifyEnterprise(r.Context(), code, at, req.Note, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewEnterprise(e))
}

type accountHashRequest struct {
	AccountNumber string `json:"account_number" validate:"required,digits,min=8,max=32"`
}

// accountHash tells an auditor the keyed hash audit rows record for an account number they
// hold, so they can find or check it in the log; the log itself never holds the number.
func (s *server) accountHash(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "hash account numbers", access.Auditor, access.Admin); err != nil {
		return err
	}
	var req accountHashRequest
	if err := decodeJSON(w, r, &req, false); err != nil {
		return err
	}
	if err := invalid(checkStruct(&req, "")); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.store.AccountRef(req.AccountNumber))
}
