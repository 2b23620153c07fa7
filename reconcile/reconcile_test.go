package reconcile

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/bank"
	"github.com/subsidyflow/subsidyflow/claim"
)

var (
	day  = time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC)
	next = day.AddDate(0, 0, 1)
)

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func at(t time.Time) *time.Time { return &t }

func settled(id string, attempt int, amount string) bank.Settlement {
	return bank.Settlement{Key: key(id, attempt), BankRef: "B-" + id, Reference: id, AccountNumber: "6222000011112468",
		Amount: *dec(amount), SettledAt: day.Add(10 * time.Hour)}
}

func key(id string, attempt int) string { return fmt.Sprintf("%s/pay/%d", id, attempt) }

func paid(id string, attempt int, amount string) Claim {
	return Claim{ID: id, Status: claim.Paid, Amount: dec(amount), Key: key(id, attempt), SettledAt: at(day.Add(10 * time.Hour))}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name        string
		settlements []bank.Settlement
		claims      []Claim
		matched     int
		total       string
		kinds       []Kind
		claimIDs    []string
	}{
		{"nothing settled, nothing paid", nil, nil, 0, "0", nil, nil},
		{"matched", []bank.Settlement{settled("c1", 1, "616.73"), settled("c2", 2, "50.00")},
			[]Claim{paid("c1", 1, "616.73"), paid("c2", 2, "50.00")}, 2, "666.73", nil, nil},
		{"amounts equal by value, not by writing", []bank.Settlement{settled("c1", 1, "50")},
			[]Claim{paid("c1", 1, "50.00")}, 1, "50", nil, nil},
		{"amount mismatch", []bank.Settlement{settled("c1", 1, "616.74")},
			[]Claim{paid("c1", 1, "616.73")}, 0, "616.74", []Kind{AmountMismatch}, []string{"c1"}},
		{"unknown claim", []bank.Settlement{settled("c9", 1, "10.00")},
			nil, 0, "10.00", []Kind{UnknownClaim}, []string{"c9"}},
		{"garbled reference is found by its key", []bank.Settlement{func() bank.Settlement {
			s := settled("c1", 1, "10.00")
			s.Reference = "c1-typo"
			return s
		}()}, []Claim{paid("c1", 1, "10.00")}, 1, "10.00", nil, nil},
		{"claim not paid yet", []bank.Settlement{settled("c1", 1, "10.00")},
			[]Claim{{ID: "c1", Status: claim.Disbursing, Amount: dec("10.00"), Key: key("c1", 1)}},
			0, "10.00", []Kind{ClaimNotPaid}, []string{"c1"}},
		{"same key settled twice", []bank.Settlement{settled("c1", 1, "10.00"), settled("c1", 1, "10.00")},
			[]Claim{paid("c1", 1, "10.00")}, 1, "20.00", []Kind{DuplicateSettlement}, []string{"c1"}},
		{"an earlier attempt settled too", []bank.Settlement{settled("c1", 1, "10.00"), settled("c1", 2, "10.00")},
			[]Claim{paid("c1", 2, "10.00")}, 1, "20.00", []Kind{DuplicateSettlement}, []string{"c1"}},
		{"paid without settlement", []bank.Settlement{settled("c1", 1, "10.00")},
			[]Claim{paid("c1", 1, "10.00"), paid("c2", 1, "20.00")}, 1, "10.00",
			[]Kind{PaidWithoutSettlement}, []string{"c2"}},
		{"paid on another day is not expected today", nil,
			[]Claim{func() Claim { c := paid("c1", 1, "10.00"); c.SettledAt = at(next); return c }()},
			0, "0", nil, nil},
		{"a claim listed twice is reported once", nil, []Claim{paid("c1", 1, "10.00"), paid("c1", 1, "10.00")},
			0, "0", []Kind{PaidWithoutSettlement}, []string{"c1"}},
		{"an amount mismatch is still its settlement", []bank.Settlement{settled("c1", 1, "11.00")},
			[]Claim{paid("c1", 1, "10.00")}, 0, "11.00", []Kind{AmountMismatch}, []string{"c1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Compare(day, next, tt.settlements, tt.claims)
			require.Equal(t, tt.matched, rep.Matched)
			require.True(t, rep.TotalSettled.Equal(*dec(tt.total)), "total %s", rep.TotalSettled)
			var kinds []Kind
			var ids []string
			for _, m := range rep.Mismatches {
				kinds, ids = append(kinds, m.Kind), append(ids, m.ClaimID)
				require.NotEmpty(t, m.Detail)
				require.NotEmpty(t, m.Key)
				require.Equal(t, m.Kind != PaidWithoutSettlement, m.BankAmount != nil, "bank amount of %s", m.Kind)
				require.Equal(t, m.Kind != UnknownClaim, m.ClaimAmount != nil, "claim amount of %s", m.Kind)
			}
			require.Equal(t, tt.kinds, kinds)
			require.Equal(t, tt.claimIDs, ids)
			require.Equal(t, len(tt.kinds) == 0, rep.OK())
			require.NotNil(t, rep.Mismatches, "an empty list, not null, in JSON")
		})
	}
}
