package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

// ClaimSearch is the finance inbox's query: ClaimFilter's fields (its Cursor and Limit are
// not used) plus a free-text search, the filer's region and size class, an amount range, a
// filing date range, a sort order and a page by number.
type ClaimSearch struct {
	ClaimFilter
	// Query matches a claim id (prefix), the filer's name or credit code (substring), or
	// an evidence number: any text of the submitted lines (waybill, invoice, contract).
	Query     string
	Region    string           // region code prefix of the filer's registered region ("54", "5401")
	SizeClass string           // the filer's size class in the registry
	Min, Max  *decimal.Decimal // on the subsidy amount, or the requested amount before it is calculated
	From, To  time.Time        // filed at or after From and before To (zero: open)
	Sort      string           // one of ClaimSorts; "" is newest first
	Page      int              // from 1
	PageSize  int              // DefaultClaimLimit when ≤ 0, at most MaxClaimLimit
}

// ClaimSorts are the orders SearchClaims knows.
var ClaimSorts = map[string]string{
	"-filed":  "created_at DESC, id DESC",
	"filed":   "created_at ASC, id ASC",
	"-amount": "COALESCE(amount, requested) DESC, id DESC",
	"amount":  "COALESCE(amount, requested) ASC, id ASC",
}

// ClaimPage is one page of a search with the totals of the whole filtered set.
type ClaimPage struct {
	Claims    []claim.Claim
	Total     int             // claims matching, on every page
	Requested decimal.Decimal // their requested amounts, summed
	Amount    decimal.Decimal // their subsidy amounts as calculated, summed (uncalculated count 0)
	Page      int
	Pages     int
	PageSize  int
}

// SearchClaims returns one page of the claims matching q and the totals of all of them.
func (s *Store) SearchClaims(ctx context.Context, q ClaimSearch) (ClaimPage, error) {
	f := q.ClaimFilter
	f.Cursor = ""
	where, args, err := claimWhere(f)
	if err != nil {
		return ClaimPage{}, err
	}
	conds := []string{}
	if where != "" {
		conds = append(conds, strings.TrimPrefix(where, "WHERE "))
	}
	add := func(cond string, vs ...any) {
		ns := make([]any, len(vs))
		for i, v := range vs {
			args = append(args, v)
			ns[i] = len(args)
		}
		conds = append(conds, fmt.Sprintf(cond, ns...))
	}
	if t := strings.TrimSpace(q.Query); t != "" {
		like := "%" + escapeLike(t) + "%"
		add(`(id LIKE $%d OR credit_code ILIKE $%d OR snapshot->'enterprise'->>'name' ILIKE $%d
			OR EXISTS (SELECT 1 FROM enterprises e WHERE e.credit_code = claims.credit_code AND e.name ILIKE $%d)
			OR payload::text ILIKE $%d)`, escapeLike(t)+"%", like, like, like, like)
	}
	if q.Region != "" {
		add("credit_code IN (SELECT credit_code FROM enterprises WHERE region LIKE $%d)", escapeLike(q.Region)+"%")
	}
	if q.SizeClass != "" {
		add("credit_code IN (SELECT credit_code FROM enterprises WHERE size_class = $%d)", q.SizeClass)
	}
	if q.Min != nil {
		add("COALESCE(amount, requested) >= $%d", *q.Min)
	}
	if q.Max != nil {
		add("COALESCE(amount, requested) <= $%d", *q.Max)
	}
	if !q.From.IsZero() {
		add("created_at >= $%d", q.From)
	}
	if !q.To.IsZero() {
		add("created_at < $%d", q.To)
	}
	where = ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	order, ok := ClaimSorts[q.Sort]
	if !ok {
		order = ClaimSorts["-filed"]
	}
	size := q.PageSize
	if size <= 0 {
		size = DefaultClaimLimit
	}
	size = min(size, MaxClaimLimit)
	p := ClaimPage{Page: max(q.Page, 1), PageSize: size}
	err = s.pool.QueryRow(ctx, "SELECT count(*), COALESCE(sum(requested), 0), COALESCE(sum(amount), 0) FROM claims "+where, args...).
		Scan(&p.Total, &p.Requested, &p.Amount)
	if err != nil {
		return p, mapErr(err)
	}
	p.Pages = max((p.Total+size-1)/size, 1)
	args = append(args, size, (p.Page-1)*size)
	sql := fmt.Sprintf("SELECT %s FROM claims %s ORDER BY %s LIMIT $%d OFFSET $%d", claimColumns, where, order, len(args)-1, len(args))
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return p, mapErr(err)
	}
	p.Claims, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (claim.Claim, error) { return scanClaim(r) })
	return p, mapErr(err)
}

// ClaimsVersion is a cheap fingerprint of the claims q matches: their count and latest
// update; the inbox reloads when it changes.
func (s *Store) ClaimsVersion(ctx context.Context, f ClaimFilter) (int, time.Time, error) {
	f.Cursor = ""
	where, args, err := claimWhere(f)
	if err != nil {
		return 0, time.Time{}, err
	}
	var n int
	var at *time.Time
	err = s.pool.QueryRow(ctx, "SELECT count(*), max(updated_at) FROM claims "+where, args...).Scan(&n, &at)
	if err != nil || at == nil {
		return n, time.Time{}, mapErr(err)
	}
	return n, *at, nil
}

// escapeLike makes s match itself in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
