package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/pii"
)

// seesFullAccount is the one rule of who reads a whole account number on a claim: finance,
// while they approve it or fix its payment (claim.Status.PaymentAtStake). Every other role
// (the applicant who entered it included), and finance at any other time, sees "****1234".
func seesFullAccount(p access.Principal, c claim.Claim) bool {
	return p.Role.IsFinance() && c.Status.PaymentAtStake()
}

// maskAccounts returns doc with every "account_number" string in it masked, at any depth
// (a payment receipt, a snapshot's enterprise). A document that is not JSON is returned
// as it is: it came from our own read model.
func maskAccounts(doc json.RawMessage) json.RawMessage {
	if len(doc) == 0 || !bytes.Contains(doc, []byte(`"account_number"`)) {
		return doc
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber() // amounts keep every digit
	var v any
	if dec.Decode(&v) != nil {
		return doc
	}
	out, err := json.Marshal(maskValue(v))
	if err != nil {
		return doc
	}
	return out
}

func maskValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if s, ok := x.(string); ok && k == "account_number" {
				t[k] = pii.Mask(s)
			} else {
				t[k] = maskValue(x)
			}
		}
	case []any:
		for i, x := range t {
			t[i] = maskValue(x)
		}
	}
	return v
}

// verificationView is the registry's mark on an enterprise: whether an administrator stands
// behind its figures and account, or who declared what unchecked.
type verificationView struct {
	Verified   bool     `json:"verified"`
	VerifiedBy *string  `json:"verified_by"`
	VerifiedAt *string  `json:"verified_at"`
	DeclaredBy *string  `json:"declared_by"`
	DeclaredAt *string  `json:"declared_at"`
	Declared   []string `json:"declared"`
}

func viewVerification(v enterprise.Verification) verificationView {
	return verificationView{Verified: v.Verified, VerifiedBy: optString(v.VerifiedBy),
		VerifiedAt: optTime(v.VerifiedAt), DeclaredBy: optString(v.DeclaredBy),
		DeclaredAt: optTime(v.DeclaredAt), Declared: nonNilList(v.Declared)}
}

func optTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// claimEnterpriseView is the filing enterprise as the registry holds it now, shown on one
// claim: finance sees whether its figures and account are verified before approving, and
// the account in full while the payment is at stake.
type claimEnterpriseView struct {
	CreditCode   string           `json:"credit_code"`
	Name         string           `json:"name"`
	Bank         bankAccountView  `json:"bank_account"`
	Verification verificationView `json:"verification"`
}

func viewClaimEnterprise(e enterprise.Enterprise, full bool) *claimEnterpriseView {
	b := bankAccountView(e.Bank)
	if !full {
		b.AccountNumber = pii.Mask(b.AccountNumber)
	}
	return &claimEnterpriseView{CreditCode: e.CreditCode, Name: e.Name, Bank: b,
		Verification: viewVerification(e.Verification)}
}

// claimAnswer is one claim as the caller may read it, with its filer's registry entry (the
// verification mark; the account as seesFullAccount allows). A registry that cannot be read
// leaves the entry out rather than failing the answer.
func (s *server) claimAnswer(r *http.Request, c claim.Claim) claimView {
	p := principalFrom(r.Context())
	view := viewClaim(c, p)
	e, err := s.store.GetEnterprise(r.Context(), c.CreditCode)
	if err != nil {
		if !apperr.Is(err, apperr.NotFound) {
			s.log.WarnContext(r.Context(), "read the claim's enterprise", "request_id", requestIDFrom(r.Context()),
				"claim_id", c.ID, "err", err)
		}
		return view
	}
	view.Enterprise = viewClaimEnterprise(e, seesFullAccount(p, c))
	return view
}
