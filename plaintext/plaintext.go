// Package plaintext decides whether text typed by a person may be stored and shown: valid
// UTF-8, no NUL (PostgreSQL refuses it and a claim step writing it would retry forever), no
// control characters that ring bells, move cursors or spoil a log line or a bank file, and
// no invisible characters that reverse or hide what an approver reads. It does no I/O.
package plaintext

import (
	"errors"
	"unicode/utf8"
)

// Errors say what is wrong in words a person can act on.
var (
	ErrEncoding  = errors.New("must be valid UTF-8 text")
	ErrNUL       = errors.New("must not contain NUL characters")
	ErrControl   = errors.New("must not contain control characters")
	ErrInvisible = errors.New("must not contain invisible formatting characters (direction overrides, zero-width)")
)

// Check reports what is wrong with s, or nil. Multi-line text (a note) may hold newlines and
// tabs; single-line text (a name, an id, a query parameter) may not.
func Check(s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return ErrEncoding
	}
	for _, r := range s {
		switch {
		case r == 0:
			return ErrNUL
		case multiline && (r == '\n' || r == '\t' || r == '\r'):
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			return ErrControl
		case invisible(r):
			return ErrInvisible
		}
	}
	return nil
}

// invisible lists the format characters that change how text reads without showing: the
// bidirectional embeddings, overrides and isolates (an approver could read "05.0001" for
// "1000.50"), zero-width spaces and joiners, and the byte-order mark.
func invisible(r rune) bool {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r >= 0x200b && r <= 0x200f, r == 0x2060, r == 0xfeff:
		return true
	}
	return false
}
