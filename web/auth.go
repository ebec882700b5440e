package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
)

// Cookie and header names of the browser session, the CSRF token and the
// login.
const (
	SessionCookie = "lcity_session"
	AuthCookie    = "lcity_auth"
	CSRFHeader    = "X-CSRF-Token"
)

// sessionKey is the request-context key of the request's session ID.
type sessionKey struct{}

// newSession returns a fresh random session ID (32 hex digits).
func newSession() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validSession reports whether a cookie value has the form of a session ID.
func validSession(v string) bool {
	if len(v) != 32 {
		return false
	}
	_, err := hex.DecodeString(v)
	return err == nil
}

// session returns the request's session ID, setting a new session cookie
// on w when the request has none. The cookie is HttpOnly and
// SameSite=Strict: a page of another site can neither read it nor make the
// browser send it.
func (s *Server) session(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil && validSession(c.Value) {
		return c.Value
	}
	id := newSession()
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return id
}

// csrfToken is the CSRF token of a session: an HMAC of the session ID
// under the server's random key, so that only this server process can
// make a token that matches a cookie (a signed double-submit token).
func (s *Server) csrfToken(session string) string {
	m := hmac.New(sha256.New, s.key[:])
	m.Write([]byte("lcity csrf\x00"))
	m.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether a write request carries its session's CSRF
// token in the X-CSRF-Token header, compared in constant time.
func (s *Server) checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(SessionCookie)
	if err != nil || !validSession(c.Value) {
		return false
	}
	got := r.Header.Get(CSRFHeader)
	return got != "" && hmac.Equal([]byte(got), []byte(s.csrfToken(c.Value)))
}

// authCookieValue is what the login cookie holds: derived from the token
// (so the secret itself is not stored in the browser, and a new token
// file ends every login), stable across restarts of the server.
func authCookieValue(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("lcity browser login"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// equalSecret compares two secrets in constant time, whatever their
// lengths.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// bearer reports whether the request carries the token in an
// Authorization: Bearer header.
func (s *Server) bearer(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	return ok && strings.EqualFold(scheme, "Bearer") && s.token != "" && equalSecret(strings.TrimSpace(tok), s.token)
}

// authorised reports whether a request may be served: always without a
// token; with one, when it carries the token as a bearer or the login
// cookie.
func (s *Server) authorised(r *http.Request) bool {
	if s.token == "" || s.bearer(r) {
		return true
	}
	c, err := r.Cookie(AuthCookie)
	return err == nil && equalSecret(c.Value, authCookieValue(s.token))
}

// login answers /login: GET with ?token= or POST with a form field token
// sets the login cookie and sends the browser to the search page; without
// a token it shows the login form.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	tok := r.URL.Query().Get("token")
	if r.Method == http.MethodPost {
		tok = r.PostFormValue("token")
	}
	switch {
	case tok == "":
		s.render(w, http.StatusOK, "login.html", loginView{})
	case !equalSecret(strings.TrimSpace(tok), s.token):
		s.render(w, http.StatusUnauthorized, "login.html", loginView{Error: "That is not the server's token."})
	default:
		http.SetCookie(w, &http.Cookie{Name: AuthCookie, Value: authCookieValue(s.token), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}
}

type loginView struct{ Error string }

// unauthorised answers a request without the token: JSON for the API, the
// login form for a browser.
func (s *Server) unauthorised(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="lcity"`)
	if strings.HasPrefix(r.URL.Path, "/api/") || r.Method != http.MethodGet {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "this server needs its token: Authorization: Bearer TOKEN, or log in at /login"})
		return
	}
	s.render(w, http.StatusUnauthorized, "login.html", loginView{})
}

// withSession stores the session ID in the request's context.
func withSession(r *http.Request, id string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), sessionKey{}, id))
}

// sessionOf returns the session ID withSession stored.
func sessionOf(r *http.Request) string {
	id, _ := r.Context().Value(sessionKey{}).(string)
	return id
}
