// Package apperr gives errors a code the caller can act on (invalid, not found, conflict, …)
// so that the HTTP layer maps codes to statuses in exactly one place and never shows an
// internal error to a client.
package apperr

import (
	"errors"
	"fmt"
)

// Code says what kind of failure an Error is.
type Code string

const (
	Invalid         Code = "invalid"         // the request is malformed; Fields says where
	NotFound        Code = "not_found"       // the thing asked for does not exist (or is not the caller's)
	Conflict        Code = "conflict"        // the request clashes with the current state
	Forbidden       Code = "forbidden"       // the caller may not do this
	Unauthenticated Code = "unauthenticated" // no or unknown credentials
	Unavailable     Code = "unavailable"     // a dependency is down; try again later
)

// Error is an error that is safe to show to the caller.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string // field path → what is wrong with it (Invalid only)
	Extra   map[string]any    // further members for the problem document, e.g. the first claim's id
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return string(e.Code) + ": " + e.Message
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// New makes an Error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidFields makes an Invalid error listing what is wrong with each field.
func InvalidFields(fields map[string]string) *Error {
	return &Error{Code: Invalid, Message: "the request has invalid fields", Fields: fields}
}

// CodeOf returns the code of err, or "" when err carries none (an internal error).
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
