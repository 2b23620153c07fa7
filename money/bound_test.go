package money

import "testing"

func TestParseBoundFollowsParseButTakesZero(t *testing.T) {
	for v, ok := range map[string]bool{"0": true, "0.00": true, "1500.00": true, "23456.7": true,
		"-1": false, "-0": false, "1e40": false, "1.005": false, "99999999999999999999999.99": false, " 5": false, "": false} {
		if _, err := ParseBound(v); (err == nil) != ok {
			t.Errorf("ParseBound(%q): err %v, want ok=%v", v, err, ok)
		}
	}
}
