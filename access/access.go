// Package access names who may use subsidyflow: the roles a bearer token carries and the
// principal an authenticated request acts as. It holds no I/O; the store keeps tokens and
// the API decides per endpoint.
package access

import (
	"fmt"
	"strings"
)

// Role is what a token holder may do.
type Role string

const (
	Admin             Role = "admin"              // configures programs, registers enterprises
	Applicant         Role = "applicant"          // an enterprise (bound to one credit code)
	FinanceOfficer    Role = "finance_officer"    // approves and rejects payouts
	FinanceSupervisor Role = "finance_supervisor" // approves, and gives the second approval (four eyes)
	Auditor           Role = "auditor"            // reads everything, changes nothing
	Landlord          Role = "landlord"           // a state-owned landlord (bound to its credit code): confirms rent waivers
	Provider          Role = "provider"           // a service provider (bound to its credit code): confirms voucher services
	Institution       Role = "institution"        // a guarantee institution (bound to its credit code): files guarantee-fee claims
	Lender            Role = "lender"             // a participating bank (bound to its credit code): registers loans, reports periods
)

// Roles lists every role, in the order the CLI shows them.
var Roles = []Role{Admin, Applicant, FinanceOfficer, FinanceSupervisor, Auditor, Landlord, Provider,
	Institution, Lender}

// ParseRole turns a role name into a Role.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("unknown role %q (want one of %s)", s, strings.Join(names, ", "))
}

// IsFinance reports whether the role may decide on payouts.
func (r Role) IsFinance() bool { return r == FinanceOfficer || r == FinanceSupervisor }

// Principal is the authenticated caller of a request, or the actor recorded with a decision.
type Principal struct {
	Subject    string `json:"subject"`               // a person's or system's stable name
	Role       Role   `json:"role"`                  // what they may do
	CreditCode string `json:"credit_code,omitempty"` // parties only: the enterprise, landlord or provider they act for
}

// System is the actor recorded for steps the workflow takes by itself (timers, payments).
var System = Principal{Subject: "subsidyflow", Role: "system"}

// IsParty reports whether the role acts for one credit code (an applicant enterprise, a
// landlord, a provider) and so must carry one.
func (r Role) IsParty() bool {
	return r == Applicant || r == Landlord || r == Provider || r == Institution || r == Lender
}

// Files reports whether the role files claims for its own credit code: an applicant
// enterprise, or a guarantee institution for its guarantees.
func (r Role) Files() bool { return r == Applicant || r == Institution }

// CanSeeClaimOf reports whether p may read a claim filed by the enterprise with creditCode
// in which parties (a landlord, a provider) take part.
func (p Principal) CanSeeClaimOf(creditCode string, parties ...string) bool {
	switch p.Role {
	case Applicant, Institution:
		if p.CreditCode == creditCode {
			return true
		}
		fallthrough
	case Landlord, Provider, Lender:
		for _, c := range parties {
			if c == p.CreditCode {
				return true
			}
		}
		return false
	case Admin, FinanceOfficer, FinanceSupervisor, Auditor:
		return true
	}
	return false
}
