package checkpoint

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/subsidyflow/subsidyflow/audit"
	"github.com/subsidyflow/subsidyflow/store"
)

// Store is what a Keeper needs of the store.
type Store interface {
	VerifyAuditSince(ctx context.Context, from audit.Anchor) (store.AuditReport, audit.Anchor, error)
	VerifyAuditAgainst(ctx context.Context, anchors []audit.Anchor) (store.AuditReport, error)
}

// ErrBroken is returned when the chain does not verify, so there is nothing to sign.
var ErrBroken = errors.New("checkpoint: the audit chain does not verify")

// Keeper signs checkpoints into a file and verifies the chain against them. One process
// keeps the file (the api, or dev); its methods are safe for concurrent use.
type Keeper struct {
	store Store
	key   ed25519.PrivateKey
	file  File
	now   func() time.Time

	mu   sync.Mutex  // serialises checkpoints, so each one extends the last
	last *Checkpoint // the last valid checkpoint in the file, once read
}

// NewKeeper keeps checkpoints of st's chain, signed with key, in file.
func NewKeeper(st Store, key ed25519.PrivateKey, file File) *Keeper {
	return &Keeper{store: st, key: key, file: file, now: time.Now}
}

// PublicKey is what checkpoints are checked with.
func (k *Keeper) PublicKey() ed25519.PublicKey { return k.key.Public().(ed25519.PublicKey) }

// Sign signs msg with the checkpoint key, for records that leave subsidyflow (a claim's
// dossier): anyone holding PublicKey can check them.
func (k *Keeper) Sign(msg []byte) []byte { return ed25519.Sign(k.key, msg) }

// List returns every checkpoint in the file, oldest first.
func (k *Keeper) List() ([]Checkpoint, error) { return k.file.ReadAll() }

// Checkpoint verifies the rows appended since the last checkpoint (the whole chain the first
// time) and signs the head they lead to. When the head has not moved it returns the last
// checkpoint instead of writing the same one again. A chain that does not verify is not
// signed: the error wraps ErrBroken and says why.
func (k *Keeper) Checkpoint(ctx context.Context) (Checkpoint, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	from, err := k.lastValid()
	if err != nil {
		return Checkpoint{}, err
	}
	var fromAnchor audit.Anchor
	if from != nil {
		fromAnchor = from.Anchor()
	}
	rep, head, err := k.store.VerifyAuditSince(ctx, fromAnchor)
	if err != nil {
		return Checkpoint{}, err
	}
	if !rep.OK {
		return Checkpoint{}, fmt.Errorf("%w since seq %d: %s (first broken seq %d)", ErrBroken, fromAnchor.Seq, rep.Reason, rep.FirstBroken)
	}
	if from != nil && from.Seq == head.Seq && from.Hash == head.Hash {
		return *from, nil
	}
	c := Sign(k.key, head, k.now())
	if err := k.file.Append(c); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: write %s: %w", k.file.Path, err)
	}
	k.last = &c
	return c, nil
}

// lastValid is the newest checkpoint in the file that this key signed (nil: none), read from
// the file once and remembered, so a checkpoint costs no file read.
func (k *Keeper) lastValid() (*Checkpoint, error) {
	if k.last != nil {
		return k.last, nil
	}
	list, err := k.file.ReadAll()
	if err != nil {
		return nil, err
	}
	pub := k.PublicKey()
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Valid(pub) {
			k.last = &list[i]
			break
		}
	}
	return k.last, nil
}

// Verify checks every checkpoint's signature and then the whole chain against them (see
// store.VerifyAuditAgainst). A checkpoint this key did not sign fails the verification: the
// file has been tampered with, or the key changed without starting a new file.
func (k *Keeper) Verify(ctx context.Context) (store.AuditReport, error) {
	list, err := k.file.ReadAll()
	if err != nil {
		return store.AuditReport{}, err
	}
	return VerifyWith(ctx, k.store, k.PublicKey(), list)
}

// VerifyWith is Verify for anyone holding checkpoints and the public key only: an auditor
// with a copy of the checkpoints.
func VerifyWith(ctx context.Context, st Store, pub ed25519.PublicKey, list []Checkpoint) (store.AuditReport, error) {
	anchors := make([]audit.Anchor, 0, len(list))
	for i, c := range list {
		if !c.Valid(pub) {
			return store.AuditReport{Check: store.CheckCheckpoint, FirstBroken: c.Seq,
				Reason: fmt.Sprintf("checkpoint %d (seq %d) is not signed by the audit key: the checkpoints were tampered with", i+1, c.Seq)}, nil
		}
		anchors = append(anchors, c.Anchor())
	}
	return st.VerifyAuditAgainst(ctx, anchors)
}

// Run checkpoints at once and then every interval until ctx ends, logging failures: a
// chain that stops verifying is an alarm, not a reason to stop.
func (k *Keeper) Run(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := k.Checkpoint(ctx); err != nil && ctx.Err() == nil {
			logger.Error("audit checkpoint", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
