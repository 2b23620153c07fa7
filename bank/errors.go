package bank

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies a bank error by what the caller may do next; it is all the payment
// workflow needs to decide between retrying, asking Status, and failing the claim.
type Kind string

const (
	// Transient means the bank did nothing; retrying with the same key is safe.
	Transient Kind = "transient"
	// Ambiguous means the outcome is unknown (e.g. a timeout): the money may have gone out,
	// so ask Status before any retry.
	Ambiguous Kind = "ambiguous"
	// Permanent means the payment will never succeed as sent; the claim goes to
	// payment_failed until the applicant fixes it.
	Permanent Kind = "permanent"
)

// Error type names under which bank errors travel through Temporal. An activity error
// reaches the workflow flattened to a message and a type name (ApplicationError), so the
// activity must wrap a bank error as
//
//	temporal.NewApplicationErrorWithOptions(err.Error(), bank.TypeName(err),
//		temporal.ApplicationErrorOptions{NonRetryable: !bank.IsTransient(err), Cause: err})
//
// and the workflow gets it back with bank.FromFailure(appErr.Type(), appErr.Message()).
// Ambiguous is non-retryable on purpose: Temporal must not resend; the workflow asks Status.
const (
	ErrTypeTransient      = "BankTransient"
	ErrTypeAmbiguous      = "BankAmbiguous"
	ErrTypePermanent      = "BankPermanent"
	ErrTypeUnknownPayment = "BankUnknownPayment"
)

// Codes a bank answers with. Permanent codes are shown to the applicant and to finance, so
// they name the cause the applicant can fix.
const (
	CodeAccountClosed       = "ACCOUNT_CLOSED"
	CodeNameMismatch        = "NAME_MISMATCH"
	CodeIdempotencyMismatch = "IDEMPOTENCY_MISMATCH"
	CodeInvalidAmount       = "INVALID_AMOUNT"
	CodeInvalidKey          = "INVALID_KEY"
	CodeInvalidAccount      = "INVALID_ACCOUNT"
	CodeTimeout             = "TIMEOUT"
	CodeUnavailable         = "SERVICE_UNAVAILABLE"
)

// ErrUnknownPayment is Status's answer for a key the bank never received: the one case in
// which resending a payment after an Ambiguous error is known to be safe.
var ErrUnknownPayment = errors.New("bank: unknown payment")

// Error is a classified bank refusal. It is a plain value (no cause chain) so that it
// survives serialisation: Error() and TypeName() carry everything FromFailure needs.
type Error struct {
	Kind Kind
	Code string // machine-readable, e.g. ACCOUNT_CLOSED
	Text string // for people
}

// Error renders "bank: <kind> <CODE>: <text>", the form FromFailure parses back.
func (e *Error) Error() string {
	return fmt.Sprintf("bank: %s %s: %s", e.Kind, e.Code, e.Text)
}

// TypeName is the Temporal error type for e's kind (ErrTypeTransient, …).
func (e *Error) TypeName() string {
	switch e.Kind {
	case Transient:
		return ErrTypeTransient
	case Ambiguous:
		return ErrTypeAmbiguous
	}
	return ErrTypePermanent
}

// Transientf, Ambiguousf and Permanentf build errors of their kind, for adapters.
func Transientf(code, format string, args ...any) *Error {
	return &Error{Kind: Transient, Code: code, Text: fmt.Sprintf(format, args...)}
}

// Ambiguousf builds an Ambiguous error; see Transientf.
func Ambiguousf(code, format string, args ...any) *Error {
	return &Error{Kind: Ambiguous, Code: code, Text: fmt.Sprintf(format, args...)}
}

// Permanentf builds a Permanent error; see Transientf.
func Permanentf(code, format string, args ...any) *Error {
	return &Error{Kind: Permanent, Code: code, Text: fmt.Sprintf(format, args...)}
}

// IsTransient reports whether err (or an error it wraps) is a Transient bank error.
func IsTransient(err error) bool { return kindOf(err) == Transient }

// IsAmbiguous reports whether err (or an error it wraps) is an Ambiguous bank error.
func IsAmbiguous(err error) bool { return kindOf(err) == Ambiguous }

// IsPermanent reports whether err (or an error it wraps) is a Permanent bank error.
func IsPermanent(err error) bool { return kindOf(err) == Permanent }

// CodeOf returns the bank code of err, or "" when err is not a bank *Error, so callers can
// record why a payment failed without a type switch.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func kindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// TypeName returns the Temporal error type for err, or "" when err is no bank error, so an
// activity can flatten any error it got from a Bank the same way.
func TypeName(err error) string {
	if errors.Is(err, ErrUnknownPayment) {
		return ErrTypeUnknownPayment
	}
	var e *Error
	if errors.As(err, &e) {
		return e.TypeName()
	}
	return ""
}

// FromFailure rebuilds a bank error from its flattened form (a Temporal ApplicationError's
// Type() and Message()). It also recognises the message alone, in case an activity returned
// a bank error without wrapping it. It returns nil when neither names a bank error.
func FromFailure(typeName, message string) error {
	if typeName == ErrTypeUnknownPayment || message == ErrUnknownPayment.Error() {
		return ErrUnknownPayment
	}
	kind, rest := parseKind(message)
	if k, ok := kindOfType(typeName); ok {
		kind = k
	}
	if kind == "" {
		return nil
	}
	code, text, _ := strings.Cut(rest, ": ")
	return &Error{Kind: kind, Code: code, Text: text}
}

func kindOfType(typeName string) (Kind, bool) {
	switch typeName {
	case ErrTypeTransient:
		return Transient, true
	case ErrTypeAmbiguous:
		return Ambiguous, true
	case ErrTypePermanent:
		return Permanent, true
	}
	return "", false
}

// parseKind splits "bank: <kind> rest" into kind and rest; without that prefix it returns
// no kind and the whole message.
func parseKind(message string) (Kind, string) {
	for _, k := range []Kind{Transient, Ambiguous, Permanent} {
		if rest, ok := strings.CutPrefix(message, "bank: "+string(k)+" "); ok {
			return k, rest
		}
	}
	return "", message
}
