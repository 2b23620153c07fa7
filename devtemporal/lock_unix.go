//go:build unix

package devtemporal

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock keeps two servers (say, two `make dev` in different terminals) off one database
// file. Both would take the history shard from each other in turn and fail requests at
// random; a clear error at start is kinder. The kernel drops the lock if the process dies,
// so a crash never leaves a stale lock behind.
type fileLock struct {
	f *os.File
}

func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("devtemporal: open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("devtemporal: %s is in use by another running server (stop it first)", path)
		}
		return nil, fmt.Errorf("devtemporal: lock %s: %w", path, err)
	}
	return &fileLock{f: f}, nil
}

// release is safe on a nil lock (ephemeral servers have none).
func (l *fileLock) release() {
	if l == nil {
		return
	}
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}
