package api

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"github.com/subsidyflow/subsidyflow/access"
	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/checkpoint"
	"github.com/subsidyflow/subsidyflow/store"
)

// Checkpoints is the keeper of the signed audit checkpoints (*checkpoint.Keeper).
type Checkpoints interface {
	Verify(ctx context.Context) (store.AuditReport, error)
	Checkpoint(ctx context.Context) (checkpoint.Checkpoint, error)
	List() ([]checkpoint.Checkpoint, error)
	PublicKey() ed25519.PublicKey
}

type auditReportView struct {
	OK             bool   `json:"ok"`
	Rows           int64  `json:"rows"`
	FirstBrokenSeq *int64 `json:"first_broken_seq"`
	Check          string `json:"check,omitempty"` // chain, checkpoint or head: which check failed
	Reason         string `json:"reason"`
	// CheckpointSeq is the head seq of the latest signed checkpoint the chain was checked
	// against (null: none, so truncation and rehashing could go unnoticed).
	CheckpointSeq *int64 `json:"checkpoint_seq"`
}

// verifyAudit walks the whole hash chain of the audit log and checks it against the signed
// checkpoints (auditors and admins). With from_seq and/or to_seq it checks only that range of
// rows (each following from the stored row before it), naming the first broken row.
func (s *server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "verify the audit log", access.Auditor, access.Admin); err != nil {
		return err
	}
	from, to, ranged, err := seqRange(r.URL.Query())
	if err != nil {
		return err
	}
	var rep store.AuditReport
	switch {
	case ranged:
		rep, err = s.store.VerifyAuditRange(r.Context(), from, to)
	case s.checkpoints != nil:
		rep, err = s.checkpoints.Verify(r.Context())
	default:
		rep, err = s.store.VerifyAudit(r.Context())
	}
	if err != nil {
		return err
	}
	view := auditReportView{OK: rep.OK, Rows: rep.Rows, Check: rep.Check, Reason: rep.Reason}
	if !rep.OK {
		view.FirstBrokenSeq = &rep.FirstBroken
	}
	if rep.CheckpointSeq > 0 {
		view.CheckpointSeq = &rep.CheckpointSeq
	}
	return writeJSON(w, http.StatusOK, view)
}

type checkpointView struct {
	Seq       int64     `json:"seq"`
	Hash      string    `json:"hash"`
	At        time.Time `json:"at"`
	Signature string    `json:"signature"`
}

type checkpointsView struct {
	// PublicKey is the base64 Ed25519 key every signature checks with.
	PublicKey   string           `json:"public_key"`
	Checkpoints []checkpointView `json:"checkpoints"`
}

func viewCheckpoint(c checkpoint.Checkpoint) checkpointView {
	return checkpointView{Seq: c.Seq, Hash: c.Hash, At: c.At, Signature: c.Signature}
}

// listCheckpoints hands auditors every signed checkpoint and the public key, for the copy
// they keep outside subsidyflow (auditors and admins).
func (s *server) listCheckpoints(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "read the audit checkpoints", access.Auditor, access.Admin); err != nil {
		return err
	}
	if s.checkpoints == nil {
		return apperr.New(apperr.Unavailable, "this process keeps no audit checkpoints")
	}
	list, err := s.checkpoints.List()
	if err != nil {
		return err
	}
	view := checkpointsView{PublicKey: base64.StdEncoding.EncodeToString(s.checkpoints.PublicKey()),
		Checkpoints: make([]checkpointView, 0, len(list))}
	for _, c := range list {
		view.Checkpoints = append(view.Checkpoints, viewCheckpoint(c))
	}
	return writeJSON(w, http.StatusOK, view)
}

// createCheckpoint signs the head now rather than at the next interval, e.g. before an audit
// (admins; auditors change nothing). A chain that does not verify is not signed: 409.
func (s *server) createCheckpoint(w http.ResponseWriter, r *http.Request) error {
	if err := requireRole(principalFrom(r.Context()), "sign an audit checkpoint", access.Admin); err != nil {
		return err
	}
	if s.checkpoints == nil {
		return apperr.New(apperr.Unavailable, "this process keeps no audit checkpoints")
	}
	c, err := s.checkpoints.Checkpoint(r.Context())
	if errors.Is(err, checkpoint.ErrBroken) {
		return apperr.New(apperr.Conflict, "the audit chain does not verify, so it is not signed: see GET /v1/audit/verify")
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewCheckpoint(c))
}
