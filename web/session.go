package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

// The session is a server-side session opened with the user's API token (store.OpenSession),
// its id kept in a cookie the page's scripts cannot read (HttpOnly), the browser never sends
// on cross-site requests (SameSite=Strict) and, behind TLS (Deps.SecureCookies), never over
// plain HTTP (Secure). Signing out closes it on the server, so a copied cookie dies too.
const (
	tokenCookie = "sf_token"
	cookiePath  = "/ui/"
	sessionAge  = 12 * time.Hour // one working day, then sign in again
	maxTokenLen = 256            // longer than any token the store issues
	maxFormSize = 64 << 10
)

// session is the signed-in user of a request.
type session struct {
	P     access.Principal
	Token string // the session id: the pages' in-process API calls authenticate with it
	CSRF  string // the token every form that changes something must carry
}

// sessionHandler is a page handler that runs for a signed-in user only.
type sessionHandler func(w http.ResponseWriter, r *http.Request, sess session)

// authed authenticates the cookie on every request (a revoked token stops working at
// once) and sends anyone without a valid one to the sign-in page. POSTs must also carry
// the session's CSRF token.
func (s *server) authed(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store") // pages name enterprises and amounts
		c, err := r.Cookie(tokenCookie)
		if err != nil || !store.IsSession(c.Value) || len(c.Value) > maxTokenLen {
			http.Redirect(w, r, "/ui/signin", http.StatusSeeOther)
			return
		}
		p, err := s.store.Authenticate(r.Context(), c.Value)
		if apperr.Is(err, apperr.Unauthenticated) {
			s.clearSession(w)
			http.Redirect(w, r, "/ui/signin", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.errorPage(w, r, nil, http.StatusInternalServerError, "")
			s.log.ErrorContext(r.Context(), "web: authenticate", "err", err)
			return
		}
		sess := session{P: p, Token: c.Value, CSRF: s.csrfToken(c.Value)}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
			if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) {
				s.errorPage(w, r, &sess, http.StatusForbidden,
					"The form has expired or did not come from this site; reload the page and try again.")
				return
			}
			// Checked here for every form: the pages pass values on to the API as JSON,
			// whose encoder would quietly turn invalid bytes into U+FFFD and store that.
			if name, bad := invalidFormText(r.PostForm); bad {
				s.errorPage(w, r, &sess, http.StatusBadRequest, fmt.Sprintf("The form's field %s is not valid UTF-8 text.", name))
				return
			}
		}
		h(w, r, sess)
	}
}

// invalidFormText names the first form field (in name order) whose name or value is not
// valid UTF-8.
func invalidFormText(form url.Values) (string, bool) {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if !utf8.ValidString(name) {
			return strconv.Quote(name), true
		}
		for _, v := range form[name] {
			if !utf8.ValidString(v) {
				return name, true
			}
		}
	}
	return "", false
}

// csrfToken binds a form to the session: an HMAC of the session token under a key only
// this server holds, so another site can neither read nor compute it.
func (s *server) csrfToken(token string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte("sf-csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *server) signInPage(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(tokenCookie); err == nil && store.IsSession(c.Value) && len(c.Value) <= maxTokenLen {
		if _, err := s.store.Authenticate(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, "/ui/claims", http.StatusSeeOther)
			return
		}
	}
	s.render(w, r, http.StatusOK, "signin", view{Title: "Sign in"})
}

// signIn checks the token before keeping it, so a typo is answered on the form instead of
// by a redirect loop.
func (s *server) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormSize)
	token := strings.TrimSpace(r.PostFormValue("token"))
	token = strings.TrimPrefix(token, "Bearer ") // pasted together with the header's scheme
	if token == "" || len(token) > maxTokenLen {
		s.signInFailed(w, r, "Enter your API token.")
		return
	}
	if store.IsSession(token) { // a session is not a credential to open another with
		s.signInFailed(w, r, "Unknown or revoked token.")
		return
	}
	id, err := s.store.OpenSession(r.Context(), token, sessionAge)
	if apperr.Is(err, apperr.Unauthenticated) {
		s.signInFailed(w, r, "Unknown or revoked token.")
		return
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "web: sign in", "err", err)
		s.errorPage(w, r, nil, http.StatusInternalServerError, "")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: id, Path: cookiePath, MaxAge: int(sessionAge / time.Second),
		HttpOnly: true, Secure: s.secureCookie(r), SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/ui/claims", http.StatusSeeOther)
}

func (s *server) signInFailed(w http.ResponseWriter, r *http.Request, msg string) {
	s.render(w, r, http.StatusUnauthorized, "signin", view{Title: "Sign in",
		Flash: &flash{Kind: "error", Text: msg}})
}

// signOut closes the session on the server and forgets its cookie: a copy of the cookie no
// longer works. The API token it was opened with stays valid (it is the user's API
// credential too; revoking it is `subsidyflow token revoke`).
func (s *server) signOut(w http.ResponseWriter, r *http.Request, sess session) {
	if err := s.store.CloseSession(r.Context(), sess.Token); err != nil {
		s.internal(w, r, sess, "close session", err)
		return
	}
	s.clearSession(w)
	http.Redirect(w, r, "/ui/signin", http.StatusSeeOther)
}

func clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func (s *server) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: "", Path: cookiePath, MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookies, SameSite: http.SameSiteStrictMode})
}

// secureCookie: the session cookie is Secure when the site is served behind TLS (a
// terminating proxy, where r.TLS is nil) or over direct TLS.
func (s *server) secureCookie(r *http.Request) bool { return s.secureCookies || r.TLS != nil }
