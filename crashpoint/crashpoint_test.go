//go:build !crashpoint

package crashpoint

import "testing"

// TestAReleaseBuildIgnoresTheCrashVariable: without the crashpoint build tag, naming a
// point in the environment does nothing (this test would die otherwise).
func TestAReleaseBuildIgnoresTheCrashVariable(t *testing.T) {
	t.Setenv(EnvVar, AfterCreate)
	Hit(AfterCreate)
}
