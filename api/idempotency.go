package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/store"
)

const (
	idempotencyHeader = "Idempotency-Key"
	maxKeyLen         = 255
)

// resumer finishes the job of a creating request that died after storing resource (the
// id its transaction recorded with the key) and answers as the request would have. It
// reports false, having written nothing, when the resource is gone (a claim removed again
// because its workflow could not start): the request is then processed afresh.
type resumer func(w http.ResponseWriter, r *http.Request, resource string) (bool, error)

// idempotent makes a creating request safe to retry. The first request with a key is
// processed and its answer stored; a repeat with the same body gets that answer again
// (marked Idempotent-Replayed), a repeat with another body a 409, a repeat while the first
// is still running in a live process a 409 too. When the first request's process died
// before answering, the repeat takes the key over at once: if the dead request had stored
// what it creates, resume finishes its job and answers with that resource; otherwise the
// request is processed afresh. Answers below 500, refusals included, are final; after a 5xx
// a retry is processed again (resumed, if something was stored).
func (s *server) idempotent(next handler, resume resumer) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		key := r.Header.Get(idempotencyHeader)
		if err := checkKey(key); err != nil {
			return err
		}
		body, err := readBody(w, r)
		if err != nil {
			return err
		}
		ctx := r.Context()
		// A key belongs to one principal acting for one enterprise: two tokens with the same
		// subject for different enterprises never share answers.
		p := principalFrom(ctx)
		scope := idempotencyScope(string(p.Role)+"/"+p.CreditCode+"/"+p.Subject, r.Method, r.URL.Path)
		stored, hold, err := s.store.BeginIdempotent(ctx, scope, key, requestHash(body))
		if err != nil {
			return err
		}
		if stored != nil {
			return replay(w, stored)
		}
		// Released after the answer is stored: a retry must find it answered, not free.
		defer hold.Release()
		r = r.WithContext(store.WithIdempotencyKey(ctx, scope, key))
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := next
		if hold.Resource != "" && resume != nil {
			s.log.WarnContext(ctx, "resuming a request whose process died after storing its resource",
				"request_id", requestIDFrom(ctx), "path", r.URL.Path, "resource", hold.Resource)
			h = func(w http.ResponseWriter, r *http.Request) error {
				if done, err := resume(w, r, hold.Resource); done || err != nil {
					return err
				}
				return next(w, r)
			}
		}
		rec := s.runOnce(w, r, h, scope, key)
		rec.flush(w)
		return nil
	}
}

// runOnce runs the handler into a buffer and stores or gives up its answer. The key is
// given up too when the handler panics, then the panic goes on to recoverPanics.
func (s *server) runOnce(w http.ResponseWriter, r *http.Request, next handler, scope, key string) *recorder {
	// Storing must happen even when the client hangs up: the work is done by then.
	ctx := context.WithoutCancel(r.Context())
	finished := false
	defer func() {
		if !finished {
			s.abortKey(ctx, r, scope, key)
		}
	}()
	rec := newRecorder()
	if err := next(rec, r); err != nil {
		s.writeError(rec, r, err)
	}
	finished = true
	if rec.status >= http.StatusInternalServerError {
		s.abortKey(ctx, r, scope, key)
		return rec
	}
	if err := s.store.FinishIdempotent(ctx, scope, key, rec.status, envelopeOf(rec)); err != nil {
		// The answer stands; once this request lets go of the key, a repeat takes it over
		// and answers again from what was stored.
		s.log.ErrorContext(ctx, "store idempotent response", "request_id", requestIDFrom(ctx), "err", err)
	}
	return rec
}

func (s *server) abortKey(ctx context.Context, r *http.Request, scope, key string) {
	if err := s.store.AbortIdempotent(ctx, scope, key); err != nil {
		s.log.ErrorContext(ctx, "abort idempotency key", "request_id", requestIDFrom(ctx),
			"path", r.URL.Path, "err", err)
	}
}

// checkKey refuses a missing, overlong or unprintable key.
func checkKey(key string) error {
	msg := ""
	switch {
	case key == "":
		msg = "is required on requests that create something"
	case len(key) > maxKeyLen:
		msg = "must be at most 255 characters long"
	default:
		for i := 0; i < len(key); i++ {
			if key[i] < ' ' || key[i] > '~' {
				msg = "must contain printable ASCII characters only"
				break
			}
		}
	}
	if msg == "" {
		return nil
	}
	return apperr.InvalidFields(map[string]string{idempotencyHeader: msg})
}

// idempotencyScope keeps keys of different callers and endpoints apart: two clients may
// pick the same key without seeing each other's answers.
func idempotencyScope(subject, method, path string) string {
	return subject + " " + method + " " + path
}

// requestHash is the hex sha256 of the canonical body, so that the same JSON sent with
// other spacing or member order counts as the same request.
func requestHash(body []byte) string {
	sum := sha256.Sum256(canonicalBody(body))
	return hex.EncodeToString(sum[:])
}

// canonicalBody re-encodes a JSON body with sorted object members, no spaces and numbers
// as written. A body that is not one JSON value is hashed as sent.
func canonicalBody(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return body
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// envelope is what is stored of an answer: the body and the headers a replay must repeat.
type envelope struct {
	ContentType string `json:"content_type"`
	Location    string `json:"location,omitempty"`
	Body        []byte `json:"body"`
}

func envelopeOf(rec *recorder) []byte {
	b, _ := json.Marshal(envelope{ContentType: rec.Header().Get("Content-Type"),
		Location: rec.Header().Get("Location"), Body: rec.body.Bytes()})
	return b
}

// replay sends a stored answer again.
func replay(w http.ResponseWriter, stored *store.StoredResponse) error {
	var env envelope
	if err := json.Unmarshal(stored.Body, &env); err != nil {
		return err // a stored answer this code did not write: internal
	}
	h := w.Header()
	h.Set("Content-Type", env.ContentType)
	if env.Location != "" {
		h.Set("Location", env.Location)
	}
	h.Set("Idempotent-Replayed", "true")
	w.WriteHeader(stored.Status)
	_, _ = w.Write(env.Body)
	return nil
}
