package audit

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// chain builds n rows linked from Genesis.
func chain(n int) []Entry {
	rows := make([]Entry, n)
	prev := Genesis
	at := time.Date(2024, 3, 1, 8, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	for i := range rows {
		amt := decimal.RequireFromString(fmt.Sprintf("%d.5", 1000+i))
		rows[i] = Entry{
			Seq: int64(i + 1), At: at.Add(time.Duration(i) * time.Minute),
			Actor: "alice", Role: "finance_officer", Action: "claim.approved",
			ClaimID: fmt.Sprintf("clm_%d", i), ProgramID: "prg_1", Amount: &amt,
			Details:    json.RawMessage(`{"b": 2, "a": [1, "x"]}`),
			WorkflowID: "claim/clm", RunID: "run", PrevHash: prev,
		}
		rows[i].Hash = ComputeHash(prev, rows[i])
		prev = rows[i].Hash
	}
	return rows
}

func TestCanonicalSurvivesDatabaseRoundTrip(t *testing.T) {
	t.Parallel()
	e := chain(1)[0]
	back := e
	back.At = e.At.UTC().Truncate(time.Microsecond)       // timestamptz keeps micros
	back.Details = json.RawMessage(`{"a":[1,"x"],"b":2}`) // jsonb reorders and strips spaces
	a := decimal.RequireFromString("1000.50")             // numeric(20,2) pads the scale
	back.Amount = &a
	if got, want := string(Canonical(back)), string(Canonical(e)); got != want {
		t.Fatalf("canonical changed by a round trip:\n got %s\nwant %s", got, want)
	}
}

func TestCanonicalEmptyDetailsIsObject(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "null", "  "} {
		if got := string(CanonicalJSON([]byte(in))); got != "{}" {
			t.Errorf("CanonicalJSON(%q) = %s, want {}", in, got)
		}
	}
	if got := string(CanonicalJSON([]byte(`{"n": 1.50, "s": "<&>"}`))); got != `{"n":1.50,"s":"<&>"}` {
		t.Errorf("numbers or strings altered: %s", got)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		tamper     func([]Entry) []Entry
		wantBroken int64
		wantReason string
	}{
		{"intact chain", func(r []Entry) []Entry { return r }, 0, ""},
		{"changed amount", func(r []Entry) []Entry {
			a := r[2].Amount.Add(decimal.NewFromInt(1))
			r[2].Amount = &a
			return r
		}, 3, "changed"},
		{"changed details", func(r []Entry) []Entry {
			r[1].Details = json.RawMessage(`{"a":[1,"x"],"b":3}`)
			return r
		}, 2, "changed"},
		{"removed row", func(r []Entry) []Entry { return append(r[:2], r[3:]...) }, 4, "missing"},
		{"removed first row", func(r []Entry) []Entry { return r[1:] }, 2, "missing"},
		{"reordered rows", func(r []Entry) []Entry {
			r[1], r[2] = r[2], r[1]
			return r
		}, 3, "out of order"},
		{"removed row and renumbered", func(r []Entry) []Entry {
			r = append(r[:2], r[3:]...)
			for i := range r {
				r[i].Seq = int64(i + 1)
			}
			return r
		}, 3, "prev_hash"},
		{"rehashed changed row", func(r []Entry) []Entry {
			r[1].Actor = "mallory"
			r[1].Hash = ComputeHash(r[1].PrevHash, r[1])
			return r
		}, 3, "prev_hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			broken, reason, ok := Verify(Genesis, tt.tamper(chain(5)))
			if ok != (tt.wantBroken == 0) || broken != tt.wantBroken {
				t.Fatalf("Verify = (%d, %q, %v), want broken at %d", broken, reason, ok, tt.wantBroken)
			}
			if !strings.Contains(reason, tt.wantReason) {
				t.Fatalf("reason %q does not mention %q", reason, tt.wantReason)
			}
		})
	}
}

func TestVerifyTail(t *testing.T) {
	t.Parallel()
	rows := chain(6)
	if _, reason, ok := Verify(rows[2].Hash, rows[3:]); !ok {
		t.Fatalf("tail does not verify: %s", reason)
	}
	if broken, _, ok := Verify(rows[1].Hash, rows[3:]); ok || broken != 4 {
		t.Fatalf("tail from the wrong prev hash verified (broken %d)", broken)
	}
}

func TestAnchorCheck(t *testing.T) {
	t.Parallel()
	rows := chain(6)
	at := func(i int) Anchor { return Anchor{Seq: rows[i].Seq, Hash: rows[i].Hash} }
	run := func(c *AnchorCheck, rows []Entry) (int64, string, bool) {
		for _, e := range rows {
			if first, reason, ok := c.Row(e.Seq, e.Hash); !ok {
				return first, reason, false
			}
		}
		return c.End(rows[len(rows)-1].Seq)
	}

	if _, reason, ok := run(NewAnchorCheck([]Anchor{at(4), at(1), {Seq: 0, Hash: "x"}}), rows); !ok {
		t.Fatalf("an intact chain fails its anchors: %s", reason)
	}
	if _, reason, ok := run(NewAnchorCheck([]Anchor{at(1)}), append(rows, chain(7)[6])); !ok {
		t.Fatalf("a chain that grew past its anchor fails: %s", reason)
	}
	first, reason, ok := run(NewAnchorCheck([]Anchor{at(1), at(5)}), rows[:3])
	if ok || first != 4 || !strings.Contains(reason, "removed from the end") {
		t.Fatalf("a shortened chain: (%d, %q, %v)", first, reason, ok)
	}
	rehashed := chain(6)
	rehashed[3].Actor = "mallory"
	for i := 3; i < len(rehashed); i++ {
		rehashed[i].PrevHash = rehashed[i-1].Hash
		rehashed[i].Hash = ComputeHash(rehashed[i].PrevHash, rehashed[i])
	}
	first, reason, ok = run(NewAnchorCheck([]Anchor{at(1), at(4)}), rehashed)
	if ok || first != 3 || !strings.Contains(reason, "rows 3 to 5") {
		t.Fatalf("a rehashed chain: (%d, %q, %v)", first, reason, ok)
	}
}
