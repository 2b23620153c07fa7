package web_test

import (
	"os"
	"testing"

	"github.com/subsidyflow/subsidyflow/apptest"
)

func TestZZDump(t *testing.T) {
	w := &rentWorld{world: setup(t), landlord: apptest.MustCode("11540100MB0000001")}
	w.program = w.env.RentProgram(t, "100000.00", map[string]any{"landlords": []string{w.landlord}})
	b := w.signedIn(t, "applicant")
	_, body := b.post("/ui/rent/new", w.rentForm(t, b, "preview", apptest.Lease("ZL-1", w.landlord, "3000.00")))
	os.WriteFile("/tmp/rent_preview.html", []byte(body), 0o644)
	l := apptest.Lease("", w.landlord, "12.345")
	l["county"] = "999"
	_, body = b.post("/ui/rent/new", w.rentForm(t, b, "file", l))
	os.WriteFile("/tmp/rent_bad.html", []byte(body), 0o644)
	f := w.rentForm(t, b, "file", apptest.Lease("ZL-2", w.landlord, "3000.00"))
	f.Set("program_id", "prg_nope")
	_, body = b.post("/ui/rent/new", f)
	os.WriteFile("/tmp/rent_prog.html", []byte(body), 0o644)
}
