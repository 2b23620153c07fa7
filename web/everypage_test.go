package web_test

import (
	"strings"
	"testing"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/i18n"
)

// TestEveryPageIsChineseAndSwitches walks every page each role can reach by links, in zh-CN
// (the default), and fails on English text or a text the Chinese catalog lacks; each page
// asked for in English must come back in English.
func TestEveryPageIsChineseAndSwitches(t *testing.T) {
	w := setup(t)
	// Claims in several states, so the pages show their statuses, reasons and steps.
	paid := w.file(t, "applicant", apptest.Shipment(11, "1000.00"))
	if r := w.env.Do(t, "POST", "/v1/claims/"+paid+"/approve", "officer", map[string]any{"note": "ok"}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	rejected := w.file(t, "applicant", apptest.Shipment(12, "500.00"))
	if r := w.env.Do(t, "POST", "/v1/claims/"+rejected+"/reject", "officer", map[string]any{"note": "证明材料不符"}); r.Status != 200 {
		t.Fatalf("reject: %d %s", r.Status, r.Body)
	}
	starts := []string{"/ui/claims", "/ui/programs", "/ui/claims/new", "/ui/enterprise", "/ui/rent/new", "/ui/guarantee/new",
		"/ui/loans", "/ui/reports", "/ui/audit", "/ui/reconciliation", "/ui/claims/" + paid, "/ui/claims/" + rejected}
	for _, who := range []string{"applicant", "officer", "supervisor", "auditor", "admin"} {
		t.Run(who, func(t *testing.T) {
			i18n.ResetMissing()
			b := w.signedIn(t, who)
			visited := crawl(t, b, starts...)
			if len(visited) < 3 {
				t.Fatalf("%s reached only %v", who, visited)
			}
			for _, p := range visited {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				resp, body := b.get(p + sep + "lang=en")
				if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
					continue
				}
				if !strings.Contains(body, `<html lang="en">`) {
					t.Errorf("%s?lang=en is not English", p)
				}
			}
			// The switch is kept: the next page without ?lang is English too; then back.
			_, body := b.get("/ui/claims")
			if !strings.Contains(body, `<html lang="en">`) {
				t.Error("the English choice is not kept across pages")
			}
			b.get("/ui/claims?lang=zh-CN")
			t.Logf("%s: %d pages checked in both languages", who, len(visited))
		})
	}
}
