package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/temporalproto"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// TestRecordLoanHistories records the runs of a loan's workflow for the replay test: the
// first run (registered, period 0 reported and claimed, continued as new) and the second
// (period 1 reported overdue, continued as new), into workflows/testdata/loan_run<N>_<tag>.json.
// Run with RECORD_HISTORIES=v<N>.
func TestRecordLoanHistories(t *testing.T) {
	tag := os.Getenv("RECORD_HISTORIES")
	if tag == "" {
		t.Skip("set RECORD_HISTORIES=v<N> to record loan histories into workflows/testdata")
	}
	e := apptest.Start(t)
	bank := apptest.MustCode("91540100MA6T00009")
	e.Enterprise(t, e.CreditCode, "6222000011110606")
	e.Token(t, "lender", access.Principal{Subject: "bank-clerk-wu", Role: access.Lender, CreditCode: bank})
	prg := e.InterestProgram(t, "1000000.00", bank)
	r := e.RegisterLoan(t, "lender", prg, apptest.Loan("REC-L-1", e.CreditCode, bank))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	report(t, e, id, 0, "8458.33", false, 200)
	report(t, e, id, 1, "9000.00", true, 200)
	e.WaitLoan(t, "lender", id, wait, func(r *apptest.Response) bool { return r.JSON["escalated"] == true })
	runs := loanRuns(t, e, id) // latest first
	require.GreaterOrEqual(t, len(runs), 3)
	for n := 1; n <= 2; n++ {
		h := runs[len(runs)-n]
		raw, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(h)
		require.NoError(t, err)
		path := filepath.Join("..", "workflows", "testdata", fmt.Sprintf("loan_run%d_%s.json", n, tag))
		require.NoError(t, os.WriteFile(path, raw, 0o644))
		t.Logf("recorded %s (%d events)", path, len(h.Events))
	}
}
