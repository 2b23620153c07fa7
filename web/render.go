package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"

	"github.com/subsidyflow/subsidyflow/access"
)

// view is what every page template gets: the layout's parts and the page's own Data.
type view struct {
	Title string
	User  *access.Principal // nil on the sign-in and error pages of signed-out users
	CSRF  string
	Nav   string // the menu entry to highlight
	Flash *flash
	Data  any
}

// flash is a one-time message shown after a redirect (the result of a decision).
type flash struct {
	Kind string `json:"k"` // "ok" or "error"
	Text string `json:"t"`
}

// pages maps a page name to its template: the layout plus the page's own file.
type pages map[string]*template.Template

var pageNames = []string{"signin", "claims", "claim", "programs", "audit", "error", "newclaim"}

func mustParsePages() pages {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	ps := pages{}
	for _, name := range pageNames {
		t := template.Must(base.Clone())
		ps[name] = template.Must(t.ParseFS(templateFS, "templates/"+name+".html"))
	}
	return ps
}

// render executes a page into a buffer first, so a template failure becomes a clean 500
// instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, v); err != nil {
		s.log.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page renders a page for a signed-in user.
func (s *server) page(w http.ResponseWriter, r *http.Request, sess session, status int, name, nav, title string, data any) {
	v := view{Title: title, User: &sess.P, CSRF: sess.CSRF, Nav: nav, Data: data, Flash: takeFlash(w, r)}
	s.render(w, r, status, name, v)
}

// errorPage answers with a status and a message; msg "" is the generic text of a 500,
// whose cause goes to the log, never to the browser.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	if msg == "" {
		msg = "服务器内部错误，请稍后重试 Something went wrong on our side; please try again later."
	}
	v := view{Title: http.StatusText(status), Data: struct {
		Status int
		Text   string
	}{status, msg}}
	if sess != nil {
		v.User, v.CSRF = &sess.P, sess.CSRF
	}
	s.render(w, r, status, "error", v)
}

const flashCookie = "sf_flash"

// setFlash keeps a message for the page the browser is redirected to next.
func setFlash(w http.ResponseWriter, kind, text string) {
	b, _ := json.Marshal(flash{Kind: kind, Text: text})
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b),
		Path: cookiePath, MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// takeFlash reads the pending message and clears it, so it is shown once.
func takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	clearCookie(w, flashCookie)
	var f flash
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || json.Unmarshal(b, &f) != nil || f.Text == "" || (f.Kind != "ok" && f.Kind != "error") {
		return nil
	}
	return &f
}
