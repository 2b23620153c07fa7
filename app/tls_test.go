package app

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestBehindTLSSetting(t *testing.T) {
	for _, tc := range []struct {
		name, flag, url string
		want, err       bool
	}{
		{name: "neither set", want: false},
		{name: "https public URL", url: "https://subsidy.example.gov.cn", want: true},
		{name: "http public URL", url: "http://localhost:8080", want: false},
		{name: "flag on", flag: "true", want: true},
		{name: "flag off, https URL", flag: "false", url: "HTTPS://x", want: true},
		{name: "flag not a boolean", flag: "yes please", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := behindTLS(tc.flag, tc.url)
			if (err != nil) != tc.err || got != tc.want {
				t.Fatalf("behindTLS(%q, %q) = %v, %v", tc.flag, tc.url, got, err)
			}
		})
	}
}

// Behind TLS every answer, API and pages alike, carries Strict-Transport-Security, so a
// browser never again sends the session cookie or a token over plain HTTP; without the
// setting (a developer's http://localhost) none does.
func TestStrictTransportSecurityBehindTLS(t *testing.T) {
	for _, behind := range []bool{true, false} {
		h := (&Parts{BehindTLS: behind}).Handler(nil)
		for _, path := range []string{"/ui/signin", "/openapi.json", "/v1/nowhere"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			got := rec.Header().Get("Strict-Transport-Security")
			if behind && got != "max-age=31536000" {
				t.Errorf("behind TLS, %s: Strict-Transport-Security = %q", path, got)
			}
			if !behind && got != "" {
				t.Errorf("plain HTTP, %s: Strict-Transport-Security = %q, want none", path, got)
			}
		}
	}
}
