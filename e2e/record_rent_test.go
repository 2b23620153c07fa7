package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apptest"
)

// TestRecordRentHistories records rent waivers down their own paths (confirmed and recorded
// against the fund, disputed then rejected, compensated and paid, cancelled while waiting
// for the landlord) for the replay test, like TestRecordHistories does for freight. Run
// with RECORD_HISTORIES=v<N>.
func TestRecordRentHistories(t *testing.T) {
	tag := os.Getenv("RECORD_HISTORIES")
	if tag == "" {
		t.Skip("set RECORD_HISTORIES=v<N> to record rent histories into workflows/testdata as rent_<name>_v<N>.json")
	}
	e := apptest.Start(t)
	landlordCode := apptest.MustCode("11540100MB0000003")
	e.Token(t, "landlord", access.Principal{Subject: "landlord-he", Role: access.Landlord, CreditCode: landlordCode})
	e.Enterprise(t, e.CreditCode, "6222000011117777")
	e.Enterprise(t, landlordCode, "6222000011118888")
	borne := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}, "risk_counties": []string{"540102"}})
	paidTo := e.RentProgram(t, "100000.00", map[string]any{"landlords": []string{landlordCode}, "compensate_landlord": true})

	file := func(prg, contract string) string {
		r := e.FileRent(t, "applicant", prg, apptest.Lease(contract, landlordCode, "3000.00"))
		require.Equal(t, 201, r.Status, "%s", r.Body)
		id := r.JSON["id"].(string)
		e.WaitStatus(t, id, "pending_landlord", wait)
		return id
	}
	landlord := func(id, action string, body map[string]any) {
		r := e.Do(t, "POST", "/v1/claims/"+id+"/"+action, "landlord", body)
		require.Equal(t, 200, r.Status, "%s", r.Body)
		e.WaitStatus(t, id, "pending_approval", wait)
	}

	recorded := file(borne, "REC-1")
	landlord(recorded, "confirm", map[string]any{"mode": "offset"})
	decide(t, e, "officer", recorded, "approve", "", 200)
	e.WaitStatus(t, recorded, "recorded", wait)

	disputed := file(borne, "REC-2")
	landlord(disputed, "dispute", map[string]any{"note": "lease ended in March"})
	decide(t, e, "officer", disputed, "reject", "lease ended", 200)
	e.WaitStatus(t, disputed, "rejected", wait)

	paid := file(paidTo, "REC-3")
	landlord(paid, "confirm", map[string]any{"mode": "refund"})
	decide(t, e, "officer", paid, "approve", "", 200)
	e.WaitStatus(t, paid, "paid", wait)

	cancelled := file(borne, "REC-4")
	decide(t, e, "admin", cancelled, "cancel", "filed in error", 200)
	e.WaitStatus(t, cancelled, "cancelled", wait)

	for name, id := range map[string]string{"rent_recorded": recorded, "rent_disputed_rejected": disputed,
		"rent_compensated_paid": paid, "rent_cancelled": cancelled} {
		save(t, e, id, filepath.Join("..", "workflows", "testdata", name+"_"+tag+".json"))
	}
}
