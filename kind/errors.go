package kind

import (
	"fmt"

	"github.com/subsidyflow/subsidyflow/program"
)

// NotImplementedError is a kind POLICIES.md names that has no registered rules yet.
type NotImplementedError struct{ Kind program.Kind }

func (e *NotImplementedError) Error() string {
	return fmt.Sprintf("program kind %q is not implemented", e.Kind)
}

// PayloadError is a stored payload or parameter set the kind's rules cannot decode: the
// claim cannot be judged, which is a decision, not a crash.
type PayloadError struct{ Err error }

func (e *PayloadError) Error() string { return "undecodable claim: " + e.Err.Error() }
func (e *PayloadError) Unwrap() error { return e.Err }
