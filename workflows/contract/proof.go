package contract

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
)

// Decisions reach a workflow as Temporal Updates, and anyone who can talk to the Temporal
// frontend can send one. Defence in depth behind the cluster's own authentication: the API
// signs every decision it sends for an authenticated principal with a key it shares with the
// workers (HMAC-SHA256 over the workflow, the decision, the actor, the time and what the
// decision carries), and the workflow's update validator refuses a decision without a valid,
// fresh proof before it enters history.

// ProofMaxAge bounds how old (or, for clock skew, how far ahead) a decision's proof may be.
const ProofMaxAge = 10 * time.Minute

// ErrUnsigned and ErrBadProof are why a decision is refused.
var (
	ErrUnsigned = errors.New("the decision carries no proof that the API issued it")
	ErrBadProof = errors.New("the decision's proof is not valid")
	ErrStale    = errors.New("the decision's proof has expired")
	ErrNoKey    = errors.New("this process has no decision key")
)

var decisionKey atomic.Pointer[[]byte]

// SetDecisionKey sets the key this process signs and checks decisions with. The API and the
// workers must share it (DECISION_KEY); set once at start.
func SetDecisionKey(key []byte) { decisionKey.Store(&key) }

func key() []byte {
	if k := decisionKey.Load(); k != nil {
		return *k
	}
	return nil
}

// Sign returns d with its issue time and proof for the decision update on workflowID.
func Sign(workflowID, update string, d Decision, now time.Time) (Decision, error) {
	k := key()
	if len(k) == 0 {
		return d, ErrNoKey
	}
	d.IssuedAt = now.UTC()
	d.Proof = proof(k, workflowID, update, d)
	return d, nil
}

// Verify checks d's proof for the decision update on workflowID at time now.
func Verify(workflowID, update string, d Decision, now time.Time) error {
	k := key()
	switch {
	case len(k) == 0:
		return ErrNoKey
	case d.Proof == "":
		return ErrUnsigned
	case !hmac.Equal([]byte(d.Proof), []byte(proof(k, workflowID, update, d))):
		return ErrBadProof
	case now.Sub(d.IssuedAt) > ProofMaxAge || d.IssuedAt.Sub(now) > ProofMaxAge:
		return ErrStale
	}
	return nil
}

// proof is the HMAC of the decision's canonical form: its parts joined by NUL, which no
// part can contain (text is checked at the edge; the payload is base64).
func proof(k []byte, workflowID, update string, d Decision) string {
	msg := strings.Join([]string{"subsidyflow-decision-v1", workflowID, update, string(d.Actor.Role),
		d.Actor.Subject, d.Actor.CreditCode, strconv.FormatInt(d.IssuedAt.UnixNano(), 10), d.Note, d.Mode,
		base64.StdEncoding.EncodeToString(d.Payload)}, "\x00")
	m := hmac.New(sha256.New, k)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// Signed is the proof part of a message other than a Decision (a lender's report).
type Signed struct {
	IssuedAt time.Time `json:"issued_at"`
	Proof    string    `json:"proof,omitempty"`
}

// signFields signs a message given as its actor and canonical fields.
func signFields(workflowID, update string, actor access.Principal, fields string, now time.Time) (Signed, error) {
	d, err := Sign(workflowID, update, Decision{Actor: actor, Note: fields}, now)
	return Signed{IssuedAt: d.IssuedAt, Proof: d.Proof}, err
}

// verifyFields checks a message signed with signFields.
func verifyFields(workflowID, update string, actor access.Principal, fields string, s Signed, now time.Time) error {
	return Verify(workflowID, update, Decision{Actor: actor, Note: fields, IssuedAt: s.IssuedAt, Proof: s.Proof}, now)
}
