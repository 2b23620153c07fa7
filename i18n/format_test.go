package i18n

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestGroupAndUngroup(t *testing.T) {
	for in, want := range map[string]string{"0.00": "0.00", "999.99": "999.99", "1000.00": "1,000.00",
		"1234567.80": "1,234,567.80", "-23456.78": "-23,456.78", "12": "12", "abc": "abc"} {
		if got := Group(in); got != want {
			t.Errorf("Group(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Amount(decimal.RequireFromString("23456.7")); got != "23,456.70" {
		t.Errorf("Amount = %q", got)
	}
	for in, want := range map[string]string{"23,456.78": "23456.78", "23，456.78": "23456.78", " 1 234 567 ": "1234567",
		"1,234,567.8": "1234567.8", "2,34.5": "2,34.5", ",234": ",234", "1234,567": "1234,567", "12.5": "12.5", "-1,000": "-1000"} {
		if got := Ungroup(in); got != want {
			t.Errorf("Ungroup(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimesAreBeijingAndPeriodsInclusive(t *testing.T) {
	at := time.Date(2023, 3, 31, 16, 30, 0, 0, time.UTC)
	if got := Time(at); got != "2023-04-01 00:30:00" {
		t.Errorf("Time = %q, want the Beijing clock", got)
	}
	from, end := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	Register(map[string]string{" to ": " 至 "})
	if got := ZH.Period(from, end); got != "2023-01-01 至 2023-12-31" {
		t.Errorf("Period = %q", got)
	}
	if got := EN.Period(from, end); got != "2023-01-01 to 2023-12-31" {
		t.Errorf("Period(en) = %q", got)
	}
}
