package kind

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/claim"
)

func TestATotalNoColumnCanHoldIsRefused(t *testing.T) {
	huge := Outcome{Assessment: claim.Assessment{Amount: decimal.RequireFromString("5999999999999999999.94")}}
	got := Storable(huge)
	if got.Assessment.Reason != ReasonOutOfRange || !got.Assessment.Amount.IsZero() || got.Assessment.Eligible() {
		t.Fatalf("Storable = %+v", got.Assessment)
	}
	fine := Outcome{Assessment: claim.Assessment{Amount: decimal.RequireFromString("18000.00")}}
	if Storable(fine).Assessment.Reason != "" {
		t.Fatal("an ordinary total was refused")
	}
}
