// Package registry lists the program kinds that take claims. It is the one place that
// names every rule package; everything else finds a kind's rules here.
package registry

import (
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/guarantee"
	"github.com/subsidyflow/subsidyflow/interest"
	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/rent"
	"github.com/subsidyflow/subsidyflow/voucher"
)

// kinds is every kind that takes claims. Adding a kind is its rule package plus one line
// here.
var kinds = []kind.Rules{
	freight.Rules{},
	rent.Rules{},
	voucher.Rules{},
	guarantee.Rules{},
	interest.Rules{},
}

// All lists the registered kinds in a fixed order.
func All() []kind.Rules { return kinds }

// Lookup finds the rules of a kind.
func Lookup(k program.Kind) (kind.Rules, bool) {
	for _, r := range kinds {
		if r.Kind() == k {
			return r, true
		}
	}
	return nil, false
}

// Must finds the rules of a kind or says it is not implemented.
func Must(k program.Kind) (kind.Rules, error) {
	if r, ok := Lookup(k); ok {
		return r, nil
	}
	return nil, &kind.NotImplementedError{Kind: k}
}
