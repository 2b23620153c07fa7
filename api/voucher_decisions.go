package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/voucher"
	"github.com/subsidyflow/subsidyflow/workflows/contract"
)

// The holder's and the provider's steps on a voucher, and the program officer's
// cancellation of an overdue one. Like the claims' decisions they are workflow updates
// whose validator has the last word (status, owner, provider, overdue).
var (
	confirmDelivery = decision{update: contract.UpdateConfirmDelivery,
		allowed: func(p access.Principal) error {
			return requireRole(p, "confirm a voucher's delivery (the holder or the provider may)",
				access.Applicant, access.Provider)
		}}
	returnVoucher = decision{update: contract.UpdateReturn, allowed: applicantMay("return vouchers")}
	cancelVoucher = decision{update: contract.UpdateCancel, noteRequired: true,
		noteMeaning: "the reason for the cancellation",
		allowed: func(p access.Principal) error {
			if p.Role == access.Admin {
				return nil
			}
			return requireFinance(p, "cancel vouchers")
		}}
)

// voucherDecision is decide for the voucher endpoints: the path must name a voucher.
func (s *server) voucherDecision(d decision) handler {
	next := s.decide(d)
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := s.visibleVoucher(r); err != nil {
			return err
		}
		return next(w, r)
	}
}

// redeemVoucher records the purchase the voucher pays for. The body is validated here with
// the voucher rules' request (field errors, nothing sent); whether the purchase qualifies
// (provider listed, category, evidence not claimed elsewhere) is the workflow's judgement,
// returned as 422 or, for evidence another claim holds, 409 naming that claim.
func (s *server) redeemVoucher(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visibleVoucher(r)
	if err != nil {
		return err
	}
	p := principalFrom(r.Context())
	if err := requireRole(p, "redeem vouchers (only the holder may)", access.Applicant); err != nil {
		return err
	}
	payload, err := s.redemptionPayload(w, r)
	if err != nil {
		return err
	}
	if err := s.requirePayableProvider(r.Context(), c.ProgramID, payload); err != nil {
		return err
	}
	_, err = contract.Decide(r.Context(), s.temporal, c.ID, contract.UpdateRedeem,
		contract.Decision{Actor: p, Payload: payload})
	if err != nil {
		return redemptionRefusal(unavailableIfDown(err))
	}
	return s.answerClaim(w, r, c)
}

// redemptionPayload decodes and validates the body with the voucher rules' request, the
// shared validator first (tags), then the rules' own Normalise; the payload is what the
// workflow's assessment reads.
func (s *server) redemptionPayload(w http.ResponseWriter, r *http.Request) (json.RawMessage, error) {
	rules, err := registry.Must(program.Voucher)
	if err != nil {
		return nil, err
	}
	body := rules.NewBody()
	if err := decodeJSON(w, r, body, false); err != nil {
		return nil, err
	}
	if errs := checkStruct(body, ""); len(errs) > 0 {
		return nil, invalid(errs)
	}
	payload, _, ferrs := body.Normalise()
	if len(ferrs) > 0 {
		return nil, invalid(ferrs)
	}
	return json.Marshal(payload)
}

// redemptionRefusal shows the workflow's judgement of the redemption under its field
// rather than under "note", where contract.Decide files every invalid decision.
func redemptionRefusal(err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Invalid {
		return err
	}
	return &apperr.Error{Code: apperr.Invalid, Message: ae.Message,
		Fields: map[string]string{"redemption": ae.Message}}
}

// requirePayableProvider refuses a redemption whose provider would be paid but is not in
// the registry: its payment could never be sent (there is no bank account to send it to).
func (s *server) requirePayableProvider(ctx context.Context, programID string, payload json.RawMessage) error {
	prg, err := s.store.GetProgram(ctx, programID)
	if err != nil {
		return err
	}
	var params voucher.Params
	var body voucher.Payload
	if err := json.Unmarshal(prg.Params, &params); err != nil {
		return err
	}
	if err := json.Unmarshal(payload, &body); err != nil {
		return err
	}
	if params.Payee != voucher.PayeeProvider {
		return nil
	}
	code := body.Redemption.ProviderCreditCode
	_, err = s.store.GetEnterprise(ctx, code)
	if apperr.Is(err, apperr.NotFound) {
		return invalid(map[string]string{"redemption.provider_credit_code": "provider " + code +
			" is not registered; the program pays providers, so it must be registered with a bank account first"})
	}
	return err
}
