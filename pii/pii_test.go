package pii

import (
	"strings"
	"testing"
)

func TestMaskShowsTheLastFourDigitsOnly(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"a card-length number", "6222000011112468", "****2468"},
		{"eight digits", "12345678", "****5678"},
		{"four digits are all there is", "1234", "1234"},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Mask(tc.in); got != tc.want {
				t.Fatalf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestHashIsKeyedAndDoesNotContainTheNumber(t *testing.T) {
	key := []byte(strings.Repeat("k", 32))
	a, b := NewHasher(key), NewHasher(key)
	n := "6222000011112468"
	if a.Hash(n) != b.Hash(n) {
		t.Fatal("the same key must give the same hash, or an auditor could not check a number")
	}
	if a.Hash(n) == a.Hash("6222000011112469") {
		t.Fatal("different numbers must hash differently")
	}
	if NewHasher([]byte(strings.Repeat("x", 32))).Hash(n) == a.Hash(n) {
		t.Fatal("another key must give another hash")
	}
	if r1, r2 := NewHasher(nil), NewHasher(nil); r1.Hash(n) == r2.Hash(n) {
		t.Fatal("without a key each hasher draws its own random key")
	}
	acc := a.Account(n)
	if acc.Masked != "****2468" || strings.Contains(acc.HMAC, n) || len(acc.HMAC) != 64 {
		t.Fatalf("Account = %+v", acc)
	}
}
