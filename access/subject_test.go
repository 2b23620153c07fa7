package access

import "testing"

func TestLookAlikeSubjectsAreOnePerson(t *testing.T) {
	for _, s := range []string{"demo-officer", "Demo-Officer", "demo-officer ", " DEMO-OFFICER", "ｄｅｍｏ－ｏｆｆｉｃｅｒ"} {
		got, err := NormalizeSubject(s)
		if err != nil || got != "demo-officer" {
			t.Errorf("NormalizeSubject(%q) = %q, %v; want demo-officer", s, got, err)
		}
	}
}

func TestInvisibleOrEmptySubjectsAreRefused(t *testing.T) {
	for _, s := range []string{"demo-officer\u200b", "demo\u202eofficer", "a\x00b", "   ", "line\nbreak"} {
		if got, err := NormalizeSubject(s); err == nil {
			t.Errorf("NormalizeSubject(%q) = %q, want an error", s, got)
		}
	}
}
