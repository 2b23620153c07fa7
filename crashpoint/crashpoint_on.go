//go:build crashpoint

package crashpoint

import (
	"os"
	"syscall"
)

// Hit kills the process with SIGKILL, as a power cut would (no deferred function, no
// shutdown), when name is the point SUBSIDYFLOW_CRASH_AT names.
func Hit(name string) {
	if at := os.Getenv(EnvVar); at != "" && at == name {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way; nothing may run after the point
	}
}
