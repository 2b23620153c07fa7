// Package kind is the seam every program kind plugs into. A kind is one package of pure
// rules (its parameters, its claim body, line judgement, calculation, evidence keys and
// reason codes) that implements Rules, plus one line in Registry. The API, the activities,
// the web pages and the OpenAPI document read the registry; nothing else names a kind's
// package, and the store never imports one.
//
// The request types a kind hands out carry go-playground validator tags; the API validates
// them with its shared tags (amount, rate, date, region, creditcode, notblank) and the
// standard ones (required, oneof, min, max, dive), then calls the type's own Complete or
// Normalise for the rules a tag cannot express.
package kind

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/enterprise"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// Rules is one program kind.
type Rules interface {
	// Kind is the program kind the rules serve; it is also the member of a claim request
	// that carries the kind's body ({"program_id": …, "freight": {…}}).
	Kind() program.Kind
	// NewParams returns an empty params request for the administrator's "params" object.
	NewParams() ParamsRequest
	// ViewParams renders stored parameters for clients (amounts in the API's money form).
	ViewParams(stored json.RawMessage) (any, error)
	// NewBody returns an empty claim body request. Kinds that implement Applied are not
	// filed through POST /v1/claims; their body is what their own workflow takes (a
	// voucher's redemption).
	NewBody() BodyRequest
	// Assess judges a stored claim payload under the frozen snapshot. holders registers (or,
	// in a dry run, only looks up) the evidence of the eligible lines.
	Assess(in Input, holders claim.Holders) (Outcome, error)
	// Describe lists the facts of each line of a stored payload, for people to read beside
	// the line's decision.
	Describe(payload json.RawMessage) ([]Line, error)
	// Parties lists the credit codes of the other parties a payload names (a lease's
	// landlord); they may read the claim and answer for their part.
	Parties(payload json.RawMessage) []string
	// Schemas are the OpenAPI component schemas of the kind's params and claim body, keyed
	// by component name; Params and Body name the two.
	Schemas() Schemas
}

// Applied marks a kind whose claims are applied for and run by a workflow of their own
// (a voucher), not filed through POST /v1/claims.
type Applied interface {
	AppliedFor()
}

// Filer is a kind whose claims are filed by another role than an applicant enterprise (a
// guarantee institution files for its guarantees).
type Filer interface {
	FiledBy() access.Role
}

// FiledBy is the role that files claims of the kind: access.Applicant unless the kind says.
func FiledBy(r Rules) access.Role {
	if f, ok := r.(Filer); ok {
		return f.FiledBy()
	}
	return access.Applicant
}

// RegistryReader is a kind whose lines name other enterprises the registry may know (a
// guarantee's borrowers): when a claim is filed (or dry-run) the registry's size classes of
// the codes it names are frozen into its payload, so the rules, which do no I/O, judge on
// them and show finance any difference from what the claim says.
type RegistryReader interface {
	RegistryCodes(payload json.RawMessage) []string
	WithRegistry(payload json.RawMessage, classes map[string]string) (json.RawMessage, error)
}

// Filed reports whether claims of the kind are filed through POST /v1/claims.
func Filed(r Rules) bool {
	_, applied := r.(Applied)
	return !applied
}

// ParamsRequest is a kind's "params" object as an administrator sends it.
type ParamsRequest interface {
	// Complete fills absent members with POLICIES.md's defaults and checks the rules no tag
	// expresses. Field errors are keyed relative to "params".
	Complete() (stored any, fieldErrs map[string]string)
}

// BodyRequest is a kind's claim body as an applicant sends it.
type BodyRequest interface {
	// Normalise checks what no tag expresses and returns the payload to store with the claim
	// and the total the claim asks for. Field errors are keyed relative to the body.
	Normalise() (payload any, requested decimal.Decimal, fieldErrs map[string]string)
}

// Input is what a claim is judged on: the program and enterprise as frozen in the claim's
// snapshot, and the stored payload.
type Input struct {
	Program    program.Program
	Enterprise enterprise.Enterprise
	Payload    json.RawMessage
}

// Outcome is an assessment and what the shared path needs to know to carry it out: the limit
// the ledger must respect when reserving it, who is paid, and whose confirmation it waits
// for first.
type Outcome struct {
	Assessment claim.Assessment
	// Cap is the enterprise's limit in the program (freight's yearly cap); zero means none.
	Cap decimal.Decimal
	// Payee is the credit code of the registered party paid after approval; empty means
	// the filing enterprise.
	Payee string
	// NoPayment charges the approved amount to the fund without a bank payment (a rent
	// waiver the landlord bears): the claim ends recorded instead of paid.
	NoPayment bool
	// Confirm, when set, makes the claim wait for a second party's confirmation before
	// finance decides.
	Confirm *Confirm
}

// HasCap reports whether the ledger must limit the reservation.
func (o Outcome) HasCap() bool { return o.Cap.IsPositive() }

// Confirm names the party whose confirmation a claim waits for, and for how long before it
// is escalated.
type Confirm struct {
	Party string      `json:"party"` // the credit code the confirming token must act for
	Role  access.Role `json:"role"`  // e.g. access.Landlord
	Days  int         `json:"days"`  // escalated when no answer came within this many days
	Modes []string    `json:"modes"` // the answers a confirmation may choose (offset, refund)
}

// Line is one line of a payload as a person reads it: labelled facts in a fixed order.
type Line struct {
	Facts []Fact `json:"facts"`
}

// Fact is one labelled value of a line. Label is bilingual ("运单号 Waybill").
type Fact struct {
	Name  string `json:"name"` // the JSON member it comes from
	Label string `json:"label"`
	Value string `json:"value"`
}

// Schemas are a kind's OpenAPI component schemas.
type Schemas struct {
	Params     string                    // component name of the params object
	Body       string                    // component name of the claim body ("" when none)
	Components map[string]map[string]any // every component the two refer to
}

// ReasonOutOfRange refuses a claim whose calculated total no amount column can hold.
const ReasonOutOfRange claim.Reason = "amount_out_of_range"

// Storable is what the shared path does with every kind's outcome before storing it: a total
// beyond NUMERIC(20,2) (a rent of 18 digits times six months) becomes a refusal with a
// reason, rather than a write that fails, and is retried, for ever.
func Storable(out Outcome) Outcome {
	if money.Fits(out.Assessment.Amount) {
		return out
	}
	out.Assessment.Text = "the calculated total " + out.Assessment.Amount.String() + " is larger than any amount that can be paid or stored"
	out.Assessment.Reason, out.Assessment.Amount = ReasonOutOfRange, decimal.Zero
	return out
}
