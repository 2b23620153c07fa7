package api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
)

// sessionCookie is the web pages' session (package web): the Temporal UI's calls to the
// codec endpoint carry it when an auditor or finance officer has signed in to the pages.
const sessionCookie = "sf_token"

// maxCodecBody bounds one encode or decode request; a page of history is far smaller.
const maxCodecBody = 4 << 20

// CodecOptions configures the codec endpoint.
type CodecOptions struct {
	Codec converter.PayloadCodec
	// AllowedOrigin is the one browser origin (the Temporal UI's, e.g. http://localhost:8233)
	// that may call the endpoint with credentials; empty allows none.
	AllowedOrigin string
}

// Codec is Temporal's remote codec endpoint (POST …/encode and …/decode with a
// {"payloads": […]} body) for the Temporal UI and CLI, mounted under a prefix. Decoding
// shows what the payloads hide (bank accounts, amounts, names), so only finance and
// auditors may call it: with a bearer token, or the pages' session cookie the browser
// sends along from the UI.
func Codec(d Deps, opts CodecOptions) http.Handler {
	var st dataStore
	if d.Store != nil {
		st = d.Store
	}
	return newServer(d, st).codecHandler(opts)
}

func (s *server) codecHandler(opts CodecOptions) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cors(w, r, opts.AllowedOrigin)
		if r.Method == http.MethodOptions { // a preflight carries no credentials
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if err := s.codec(w, r, opts.Codec); err != nil {
			s.writeError(w, r, err)
		}
	})
	return s.withRequestID(s.logRequests(s.recoverPanics(h)))
}

// cors lets the Temporal UI's origin call the endpoint with the session cookie.
func cors(w http.ResponseWriter, r *http.Request, allowed string) {
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if allowed == "" || origin != allowed {
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Set("Access-Control-Allow-Credentials", "true")
	w.Header().Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace")
	w.Header().Set("Access-Control-Max-Age", "600")
}

func (s *server) codec(w http.ResponseWriter, r *http.Request, codec converter.PayloadCodec) error {
	var op func([]*commonpb.Payload) ([]*commonpb.Payload, error)
	switch {
	case strings.HasSuffix(r.URL.Path, "/encode"):
		op = codec.Encode
	case strings.HasSuffix(r.URL.Path, "/decode"):
		op = codec.Decode
	default:
		return apperr.New(apperr.NotFound, "no such endpoint: %s %s (use …/encode or …/decode)", r.Method, r.URL.Path)
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		return errMethodNotAllowed
	}
	p, err := s.codecCaller(r)
	if err != nil {
		return err
	}
	if p.Role != access.Auditor && !p.Role.IsFinance() {
		return apperr.New(apperr.Forbidden, "only finance and auditors may read workflow payloads")
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxCodecBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.InvalidFields(map[string]string{"payloads": "the body is larger than 4 MiB"})
		}
		return apperr.InvalidFields(map[string]string{"payloads": "the body could not be read"})
	}
	var in commonpb.Payloads
	if err := protojson.Unmarshal(raw, &in); err != nil {
		return apperr.InvalidFields(map[string]string{"payloads": `want {"payloads": [{"metadata": {…}, "data": "…"}]}`})
	}
	out, err := op(in.GetPayloads())
	if err != nil {
		return apperr.InvalidFields(map[string]string{"payloads": err.Error()})
	}
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: out})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store") // decoded payloads are personal data
	_, err = w.Write(body)
	return err
}

// codecCaller authenticates a bearer token, or else the pages' session cookie.
func (s *server) codecCaller(r *http.Request) (access.Principal, error) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && len(c.Value) <= 256 {
			token, ok = c.Value, true
		}
	}
	if !ok {
		return access.Principal{}, apperr.New(apperr.Unauthenticated,
			"send Authorization: Bearer <token>, or sign in to the pages (/ui/) first")
	}
	return s.store.Authenticate(r.Context(), token)
}
