// Package checkpoint anchors the audit chain outside the database. At intervals (and when
// asked) a Keeper checks the rows appended since its last checkpoint, signs the chain's head
// (seq, hash, time) with an Ed25519 key the database never sees, and appends the signature
// to a file; auditors copy the checkpoints and check them with the public key alone. Someone
// who can write to the database can rebuild a chain that is consistent in itself, but not
// one that agrees with a checkpoint signed before, so verification checks the chain against
// every checkpoint kept.
package checkpoint

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/subsidyflow/subsidyflow/audit"
)

// Checkpoint is a signed statement "at At the audit chain's head was Seq with hash Hash".
type Checkpoint struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	Signature string    `json:"signature"` // base64 Ed25519 signature of Message()
}

// Message is the byte string the signature covers: a versioned line per field, so it cannot
// be confused with anything else the key might sign.
func (c Checkpoint) Message() []byte {
	return fmt.Appendf(nil, "subsidyflow-audit-checkpoint-v1\nseq=%d\nhash=%s\nat=%s\n",
		c.Seq, c.Hash, c.At.UTC().Format(time.RFC3339Nano))
}

// Anchor is the point of the chain the checkpoint vouches for.
func (c Checkpoint) Anchor() audit.Anchor { return audit.Anchor{Seq: c.Seq, Hash: c.Hash, At: c.At} }

// Sign returns the checkpoint of head, signed with key.
func Sign(key ed25519.PrivateKey, head audit.Anchor, at time.Time) Checkpoint {
	c := Checkpoint{Seq: head.Seq, Hash: head.Hash, At: at.UTC().Truncate(time.Microsecond)}
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.Message()))
	return c
}

// Valid reports whether c carries a signature of its content by pub's key.
func (c Checkpoint) Valid(pub ed25519.PublicKey) bool {
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	return err == nil && len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, c.Message(), sig)
}

// ParseKey reads an Ed25519 private key given as its 32-byte seed in base64 (what
// `openssl rand -base64 32` prints), the form of AUDIT_SIGNING_KEY.
func ParseKey(b64 string) (ed25519.PrivateKey, error) {
	seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("want a 32-byte Ed25519 seed in base64 (e.g. openssl rand -base64 32)")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ParsePublicKey reads a public key in base64, as PublicKeyString writes it.
func ParsePublicKey(b64 string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("want a 32-byte Ed25519 public key in base64")
	}
	return ed25519.PublicKey(b), nil
}

// PublicKeyString is key's public half in base64: what auditors are given.
func PublicKeyString(key ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
}

// LoadOrCreateKey reads the seed kept at path, creating it (mode 0600) on first use: for
// `dev`, whose checkpoints must still verify after a restart.
func LoadOrCreateKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	seed := make([]byte, ed25519.SeedSize)
	_, _ = rand.Read(seed) // crypto/rand does not fail on supported platforms
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey(path) // created meanwhile by another process
	}
	if err != nil {
		return nil, err
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(seed) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
