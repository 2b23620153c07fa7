package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// TestRecordGuaranteeHistories records a guarantee-fee claim (partly eligible, approved and
// paid to the institution) for the replay test. Run with RECORD_HISTORIES=v<N>.
func TestRecordGuaranteeHistories(t *testing.T) {
	tag := os.Getenv("RECORD_HISTORIES")
	if tag == "" {
		t.Skip("set RECORD_HISTORIES=v<N> to record guarantee histories into workflows/testdata")
	}
	e := apptest.Start(t)
	inst := apptest.MustCode("91540100MA6T00006")
	e.Enterprise(t, inst, "6222000011110303")
	e.Enterprise(t, e.CreditCode, "6222000011110404")
	e.Token(t, "institution", access.Principal{Subject: "guarantor-li", Role: access.Institution, CreditCode: inst})
	prg := e.GuaranteeProgram(t, "1000000.00", inst, nil)
	r := e.FileGuarantee(t, "institution", prg,
		apptest.Guarantee("REC-G-1", e.CreditCode, "small"), apptest.Guarantee("REC-G-2", e.OtherCode, "large"))
	require.Equal(t, 201, r.Status, "%s", r.Body)
	id := r.JSON["id"].(string)
	e.WaitStatus(t, id, "pending_approval", wait)
	decide(t, e, "officer", id, "approve", "", 200)
	e.WaitStatus(t, id, "paid", wait)
	save(t, e, id, filepath.Join("..", "workflows", "testdata", "guarantee_paid_"+tag+".json"))
}
