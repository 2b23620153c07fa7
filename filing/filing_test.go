package filing

import (
	"context"
	"errors"
	"testing"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/claim"
	"github.com/subsidyflow/subsidyflow/store"
)

// memStore keeps claims in memory.
type memStore struct{ claims map[string]claim.Claim }

func (m *memStore) InsertClaim(_ context.Context, c claim.Claim, _ store.Meta) error {
	m.claims[c.ID] = c
	return nil
}
func (m *memStore) DeleteClaim(_ context.Context, id string, _ store.Meta) error {
	delete(m.claims, id)
	return nil
}
func (m *memStore) GetClaim(_ context.Context, id string) (claim.Claim, error) {
	c, ok := m.claims[id]
	if !ok {
		return c, apperr.New(apperr.NotFound, "no claim %s", id)
	}
	c.Status = claim.Validated // the workflow has moved it on
	return c, nil
}

var who = access.Principal{Subject: "ent-1", Role: access.Applicant, CreditCode: "91540100MA6T000019"}

func TestAClaimWhoseWorkflowCannotStartIsRemoved(t *testing.T) {
	m := &memStore{claims: map[string]claim.Claim{}}
	f := &Filer{Store: m}
	_, err := f.File(context.Background(), claim.Claim{ID: NewID("clm")}, who, func(context.Context, claim.Claim) error {
		return errors.New("temporal unavailable")
	})
	if !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("err = %v, want Unavailable", err)
	}
	if len(m.claims) != 0 {
		t.Fatalf("the claim stayed stored: %v", m.claims)
	}
}

func TestAFiledClaimIsReadBackAsTheStoreShowsIt(t *testing.T) {
	m := &memStore{claims: map[string]claim.Claim{}}
	f := &Filer{Store: m}
	started := ""
	c, err := f.File(context.Background(), claim.Claim{ID: "clm_x", Status: claim.Submitted}, who,
		func(_ context.Context, c claim.Claim) error { started = c.ID; return nil })
	if err != nil || started != "clm_x" || c.Status != claim.Validated {
		t.Fatalf("File = %+v, %v (started %q)", c, err, started)
	}
}

func TestIDsArePrefixedAndRandom(t *testing.T) {
	a, b := NewID("vch"), NewID("vch")
	if a == b || len(a) != 24 || a[:4] != "vch_" {
		t.Fatalf("NewID gave %q and %q", a, b)
	}
}
