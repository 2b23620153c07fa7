package region

import "testing"

func TestNamesOfDivisions(t *testing.T) {
	for code, want := range map[string]string{
		"540000": "西藏自治区", "540100": "西藏自治区拉萨市", "540102": "西藏自治区拉萨市城关区",
		"110000": "北京市", "110100": "北京市", "110101": "北京市东城区", "810000": "香港特别行政区",
		"429004": "湖北省仙桃市",
	} {
		if got := FullName(code); got != want {
			t.Errorf("FullName(%s) = %q, want %q", code, got, want)
		}
	}
	if got := Label("540100"); got != "西藏自治区拉萨市 (540100)" {
		t.Errorf("Label = %q", got)
	}
	if got := Label("549900"); got != "549900" {
		t.Errorf("an unlisted code is shown as it is: %q", got)
	}
	ps := Provinces()
	if len(ps) != 34 || ps[0].Code != "110000" {
		t.Errorf("want 34 province-level divisions from Beijing, got %d from %v", len(ps), ps[0])
	}
	for _, p := range ps {
		if Validate(p.Code) != nil {
			t.Errorf("listed code %s is not valid", p.Code)
		}
	}
	if cs := Children("540000"); len(cs) != 7 {
		t.Errorf("Tibet has 7 prefecture-level divisions, got %d", len(cs))
	}
}
