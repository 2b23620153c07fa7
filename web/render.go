package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/i18n"
)

// view is what every page template gets: the layout's parts and the page's own Data.
//
// Title and Flash.Text are English texts, translated when the page is rendered (the Chinese
// catalog lives in i18n); page handlers never build Chinese strings themselves.
type view struct {
	Title string
	User  *access.Principal // nil on the sign-in and error pages of signed-out users
	CSRF  string
	Nav   string // the menu entry to highlight
	Flash *flash
	Data  any

	Lang   i18n.Lang
	Switch []langLink // the language switch: the same page in each language
}

// langLink is one entry of the language switch.
type langLink struct {
	Lang    i18n.Lang
	Label   string
	URL     string
	Current bool
}

// flash is a one-time message shown after a redirect (the result of a decision).
type flash struct {
	Kind string `json:"k"` // "ok" or "error"
	Text string `json:"t"`
}

// pages maps a language and a page name to its template: the layout plus the page's own
// file, parsed once per language so the translation functions know their language.
type pages map[i18n.Lang]map[string]*template.Template

// mustParsePages parses every templates/*.html but the layout as a page of that name.
func mustParsePages() pages {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	ps := pages{}
	for _, l := range i18n.Langs {
		base := template.Must(template.New("layout.html").Funcs(funcs).Funcs(langFuncs(l)).
			ParseFS(templateFS, "templates/layout.html"))
		ps[l] = map[string]*template.Template{}
		for _, file := range names {
			name := strings.TrimSuffix(path.Base(file), ".html")
			if name == "layout" {
				continue
			}
			t := template.Must(base.Clone())
			ps[l][name] = template.Must(t.ParseFS(templateFS, file))
		}
	}
	return ps
}

// render executes a page into a buffer first, so a template failure becomes a clean 500
// instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Lang = langOf(w, r)
	v.Switch = switchLinks(r, v.Lang)
	v.Title = v.Lang.Message(v.Title)
	if v.Flash != nil {
		f := *v.Flash
		f.Text = v.Lang.Message(f.Text)
		v.Flash = &f
	}
	var buf bytes.Buffer
	if err := s.pages[v.Lang][name].Execute(&buf, v); err != nil {
		s.log.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", v.Lang.String())
	w.Header().Add("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// langOf is the request's language; a choice made with the switch (?lang=) is kept in a
// cookie for the pages that follow.
func langOf(w http.ResponseWriter, r *http.Request) i18n.Lang {
	l := i18n.FromRequest(r)
	if _, asked := i18n.Parse(r.URL.Query().Get("lang")); asked {
		http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: l.String(), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	return l
}

// switchLinks are the current page's address in each language (GET pages only: after a
// POST the switch leads to the same path, which every form page also answers to GET).
func switchLinks(r *http.Request, current i18n.Lang) []langLink {
	out := make([]langLink, 0, len(i18n.Langs))
	for _, l := range i18n.Langs {
		q := url.Values{}
		if r.Method == http.MethodGet {
			q = r.URL.Query()
		}
		q.Set("lang", l.String())
		label := "中文"
		if l == i18n.EN {
			label = "English"
		}
		out = append(out, langLink{Lang: l, Label: label, URL: r.URL.Path + "?" + q.Encode(), Current: l == current})
	}
	return out
}

// page renders a page for a signed-in user.
func (s *server) page(w http.ResponseWriter, r *http.Request, sess session, status int, name, nav, title string, data any) {
	v := view{Title: title, User: &sess.P, CSRF: sess.CSRF, Nav: nav, Data: data, Flash: takeFlash(w, r)}
	s.render(w, r, status, name, v)
}

// errorPage answers with a status and a message (English; translated when rendered); msg ""
// is the generic text of a 500, whose cause goes to the log, never to the browser.
func (s *server) errorPage(w http.ResponseWriter, r *http.Request, sess *session, status int, msg string) {
	if msg == "" {
		msg = "Something went wrong on our side; please try again later."
	}
	l := i18n.FromRequest(r)
	v := view{Title: http.StatusText(status), Data: struct {
		Status int
		Text   string
	}{status, l.Message(msg)}}
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
