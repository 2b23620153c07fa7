package guarantee

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// BorrowersKey is the payload member that carries the borrowers' registered size classes:
// {"contracts": [...], "borrowers": {"<credit code>": "small", ...}}.
//
// kind.Input carries only the filing institution, yet POLICIES.md makes the registry's class
// win over the claimed one. So whoever stores the claim (the API, when the claim is filed or
// dry-run) asks BorrowerCodes whom to look up, looks them up in the registry, and stores the
// payload WithRegistered. The classes are then frozen with the claim like the rest of its
// snapshot: a later registry edit does not change a calculated claim. An institution cannot
// send the member itself: the claim body (BodyRequest, GuaranteeClaim) has no such field.
const BorrowersKey = "borrowers"

// Borrowers maps a borrower's credit code to its size class in the registry. A code that is
// present is registered, whatever its class; an empty class is a registered borrower the
// registry gives no class (an individual business). A code that is absent is not registered,
// and its claimed class is used. A nil map means the registry was never consulted (a payload
// stored without the member): the claimed classes are used and every line says so.
type Borrowers map[string]string

// lookup finds a borrower by its normalised code.
func (b Borrowers) lookup(code string) (class string, registered bool) {
	if class, ok := b[code]; ok {
		return class, true
	}
	for k, class := range b {
		if normalise(k) == normalise(code) {
			return class, true
		}
	}
	return "", false
}

// BorrowerCodes lists the distinct borrower credit codes of a stored payload, normalised, in
// the order they first appear: the enterprises whose registered class the claim needs. An
// undecodable payload names nobody (Assess reports it).
func BorrowerCodes(payload json.RawMessage) []string {
	var body Payload
	if json.Unmarshal(payload, &body) != nil {
		return nil
	}
	return codesOf(body.Contracts)
}

func codesOf(lines []Contract) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range lines {
		code := normalise(c.BorrowerCreditCode)
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out
}

// WithRegistered returns the payload with its BorrowersKey member set to the registered
// classes of the borrowers it names; b may hold more (it is filtered) or fewer (those are
// not registered). The member is written even when empty, so a stored claim shows that the
// registry was asked. The contracts are kept byte for byte. A class that is not a size class
// is an error: it would silently refuse the line.
func WithRegistered(payload json.RawMessage, b Borrowers) (json.RawMessage, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(payload, &members); err != nil {
		return nil, fmt.Errorf("guarantee payload: %w", err)
	}
	var body Payload
	if err := json.Unmarshal(payload, &body); err != nil {
		return nil, fmt.Errorf("guarantee payload: %w", err)
	}
	kept := Borrowers{}
	for _, code := range codesOf(body.Contracts) {
		class, ok := b.lookup(code)
		if !ok {
			continue
		}
		if class != "" && !slices.Contains(ClaimedClasses, class) {
			return nil, fmt.Errorf("borrower %s: %q is not a size class", code, class)
		}
		kept[code] = class
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		return nil, err
	}
	members[BorrowersKey] = raw
	return json.Marshal(members)
}

// Size is the class the rules apply to a borrower and where it came from.
type Size struct {
	Class      sizeclass.Class // the registry's when registered, else the claimed one; "" for none
	Claimed    string          // as the institution claimed it
	Registry   string          // the registry's class; "" when none or not registered
	Registered bool            // the borrower is in the registry
	Consulted  bool            // the registry was asked at all (Borrowers not nil)
	Individual bool            // an individual business (个体工商户) by its credit code: no size class
}

// SizeOf decides a borrower's class (POLICIES.md: the registry's when the borrower is
// registered; the claimed class is only a fallback). An individual business has no size
// class whatever is claimed for it: its entity type comes from its code, never typed in.
func (b Borrowers) SizeOf(c Contract) Size {
	s := Size{Claimed: c.BorrowerSizeClass, Consulted: b != nil,
		Individual: creditcode.EntityTypeOf(normalise(c.BorrowerCreditCode)) == creditcode.IndividualBusiness}
	s.Registry, s.Registered = b.lookup(c.BorrowerCreditCode)
	class := s.Registry
	if !s.Registered {
		class = c.BorrowerSizeClass
	}
	if !s.Individual {
		s.Class = sizeclass.Class(class)
	}
	return s
}

// Note tells finance where the class came from when it is not simply the claimed class
// confirmed by the registry, "" otherwise. Judge appends it to every line's text, eligible or
// not, because the difference matters even when it changes nothing.
func (s Size) Note() string {
	switch {
	case !s.Consulted:
		return "registry not consulted: the claimed class " + s.Claimed + " is used"
	case !s.Registered:
		return "borrower not in the registry: its claimed class " + s.Claimed + " is used"
	case s.Registry == "":
		return "registry gives no size class, claim says " + s.Claimed
	case s.Registry != s.Claimed:
		return "registry says " + s.Registry + ", claim says " + s.Claimed
	}
	return ""
}

// source names where the class came from, for a refusal's text.
func (s Size) source() string {
	if s.Registered {
		return "by the registry"
	}
	return "as claimed"
}
