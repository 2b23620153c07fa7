package store

import (
	"context"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// ReportFilter picks the claims of a report: one program ("" for all) and the claims filed
// in [From, To) (a zero bound is open).
type ReportFilter struct {
	ProgramID string
	From, To  time.Time
}

// ClaimGroup is the count and money of the claims sharing one key (a status, a region
// code, a size class). Requested is what the claims asked for; Approved is the amount of the
// claims a finance decision (or the fund) has approved, paid or not; Paid is the amount of the
// claims paid or recorded, which is what the ledger has committed for them.
type ClaimGroup struct {
	Key       string          `json:"key"`
	Count     int             `json:"count"`
	Requested decimal.Decimal `json:"requested"`
	Approved  decimal.Decimal `json:"approved"`
	Paid      decimal.Decimal `json:"paid"`
}

func (g *ClaimGroup) add(r claimRow) {
	g.Count++
	g.Requested = g.Requested.Add(r.requested)
	if r.approved {
		g.Approved = g.Approved.Add(r.amount)
	}
	if r.paid {
		g.Paid = g.Paid.Add(r.amount)
	}
}

// ClaimsReport groups claims three ways; every grouping sums to Total.
type ClaimsReport struct {
	ByStatus []ClaimGroup `json:"by_status"`
	ByRegion []ClaimGroup `json:"by_region"`
	BySize   []ClaimGroup `json:"by_size_class"`
	Total    ClaimGroup   `json:"total"`
}

// claimRow is one claim as the report needs it.
type claimRow struct {
	status, region, size string
	requested, amount    decimal.Decimal
	approved, paid       bool
}

// Statuses whose amount is approved, and the subset whose amount is committed in the ledger.
var (
	approvedStatuses = map[string]bool{"approved": true, "disbursing": true, "payment_failed": true, "paid": true, "recorded": true}
	paidStatuses     = map[string]bool{"paid": true, "recorded": true}
)

// NoSizeClass is the size-class key of claims by an individual business, which has none.
const NoSizeClass = "none"

// ClaimsReport counts and sums the claims f picks by status, by the enterprise's region and
// by its size class.
func (s *Store) ClaimsReport(ctx context.Context, f ReportFilter) (ClaimsReport, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.status, COALESCE(e.region, ''), COALESCE(e.size_class, ''),
			c.requested, COALESCE(c.amount, 0)
		FROM claims c LEFT JOIN enterprises e ON e.credit_code = c.credit_code
		WHERE ($1 = '' OR c.program_id = $1)
		  AND ($2::timestamptz IS NULL OR c.created_at >= $2)
		  AND ($3::timestamptz IS NULL OR c.created_at < $3)`,
		f.ProgramID, optTime(f.From), optTime(f.To))
	if err != nil {
		return ClaimsReport{}, mapErr(err)
	}
	defer rows.Close()
	var list []claimRow
	for rows.Next() {
		var r claimRow
		if err := rows.Scan(&r.status, &r.region, &r.size, &r.requested, &r.amount); err != nil {
			return ClaimsReport{}, mapErr(err)
		}
		r.approved, r.paid = approvedStatuses[r.status], paidStatuses[r.status]
		if r.size == "" {
			r.size = NoSizeClass
		}
		list = append(list, r)
	}
	if err := rows.Err(); err != nil {
		return ClaimsReport{}, mapErr(err)
	}
	return aggregateClaims(list), nil
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// aggregateClaims groups rows; groups are sorted by key so a report reads the same each time.
func aggregateClaims(list []claimRow) ClaimsReport {
	var rep ClaimsReport
	by := func(key func(claimRow) string) []ClaimGroup {
		m := map[string]*ClaimGroup{}
		for _, r := range list {
			k := key(r)
			g := m[k]
			if g == nil {
				g = &ClaimGroup{Key: k}
				m[k] = g
			}
			g.add(r)
		}
		out := make([]ClaimGroup, 0, len(m))
		for _, g := range m {
			out = append(out, *g)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
		return out
	}
	rep.ByStatus = by(func(r claimRow) string { return r.status })
	rep.ByRegion = by(func(r claimRow) string { return r.region })
	rep.BySize = by(func(r claimRow) string { return r.size })
	rep.Total.Key = "total"
	for _, r := range list {
		rep.Total.add(r)
	}
	return rep
}

// BudgetDay is a program's ledger balances at the end of one Beijing day on which money
// moved.
type BudgetDay struct {
	Day       string          `json:"day"` // YYYY-MM-DD, Beijing
	Budget    decimal.Decimal `json:"budget"`
	Reserved  decimal.Decimal `json:"reserved"`
	Committed decimal.Decimal `json:"committed"`
	Available decimal.Decimal `json:"available"`
}

// BudgetReport reads the ledger of a program ("" for all programs together) and returns its
// balances at the end of each day with movements, oldest first. The last day's balances are
// the ledger's current ones.
func (s *Store) BudgetReport(ctx context.Context, programID string) ([]BudgetDay, error) {
	rows, err := s.pool.Query(ctx, `SELECT to_char((created_at AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD'),
			account, sum(amount)
		FROM ledger_entries WHERE ($1 = '' OR program_id = $1)
		GROUP BY 1, 2 ORDER BY 1, 2`, programID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var moves []dayMove
	for rows.Next() {
		var m dayMove
		if err := rows.Scan(&m.day, &m.account, &m.amount); err != nil {
			return nil, mapErr(err)
		}
		moves = append(moves, m)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	return budgetDays(moves), nil
}

type dayMove struct {
	day, account string
	amount       decimal.Decimal
}

// budgetDays turns each day's net movement per account (sorted by day) into running
// balances. Funding is the budget's counter-account, so the budget is minus its balance.
func budgetDays(moves []dayMove) []BudgetDay {
	var out []BudgetDay
	var cur BudgetDay
	for i, m := range moves {
		if i == 0 || m.day != cur.Day {
			if i > 0 {
				out = append(out, cur)
			}
			cur.Day = m.day
		}
		switch m.account {
		case accFunding:
			cur.Budget = cur.Budget.Sub(m.amount)
		case accReserved:
			cur.Reserved = cur.Reserved.Add(m.amount)
		case accCommitted:
			cur.Committed = cur.Committed.Add(m.amount)
		case accAvailable:
			cur.Available = cur.Available.Add(m.amount)
		}
	}
	if len(moves) > 0 {
		out = append(out, cur)
	}
	return out
}

// LedgerCommitted is the committed balance of a program's ledger ("" for all programs).
func (s *Store) LedgerCommitted(ctx context.Context, programID string) (decimal.Decimal, error) {
	var d decimal.Decimal
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(sum(amount), 0) FROM ledger_entries
		WHERE account = 'committed' AND ($1 = '' OR program_id = $1)`, programID).Scan(&d)
	return d, mapErr(err)
}

// Durations summarises how long a step took over a set of claims.
type Durations struct {
	Count  int           `json:"count"`
	Median time.Duration `json:"-"`
	P90    time.Duration `json:"-"`
}

// TimingReport is how long claims took from filing to approval and from filing to payment.
type TimingReport struct {
	Approval Durations `json:"approval"`
	Payment  Durations `json:"payment"`
}

// TimingReport measures, for the claims f picks, filing (the claim's creation) to approval
// (its last finance approval) and filing to payment (the ledger's commit of its money).
func (s *Store) TimingReport(ctx context.Context, f ReportFilter) (TimingReport, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.created_at,
			(SELECT max((a->>'at')::timestamptz) FROM jsonb_array_elements(c.approvals) a),
			(SELECT min(l.created_at) FROM ledger_entries l WHERE l.claim_id = c.id AND l.kind = 'commit')
		FROM claims c
		WHERE ($1 = '' OR c.program_id = $1)
		  AND ($2::timestamptz IS NULL OR c.created_at >= $2)
		  AND ($3::timestamptz IS NULL OR c.created_at < $3)`,
		f.ProgramID, optTime(f.From), optTime(f.To))
	if err != nil {
		return TimingReport{}, mapErr(err)
	}
	defer rows.Close()
	var approval, payment []time.Duration
	for rows.Next() {
		var filed time.Time
		var approved, paid *time.Time
		if err := rows.Scan(&filed, &approved, &paid); err != nil {
			return TimingReport{}, mapErr(err)
		}
		if approved != nil {
			approval = append(approval, approved.Sub(filed))
		}
		if paid != nil {
			payment = append(payment, paid.Sub(filed))
		}
	}
	if err := rows.Err(); err != nil {
		return TimingReport{}, mapErr(err)
	}
	return TimingReport{Approval: Summarise(approval), Payment: Summarise(payment)}, nil
}

// Summarise returns the count, median and 90th percentile (nearest rank) of ds.
func Summarise(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return Durations{Count: len(s), Median: nearestRank(s, 50), P90: nearestRank(s, 90)}
}

// nearestRank is the p-th percentile of sorted s: the smallest value with at least p% of the
// values at or below it.
func nearestRank(s []time.Duration, p int) time.Duration {
	n := (p*len(s) + 99) / 100
	if n < 1 {
		n = 1
	}
	return s[n-1]
}
