// Package creditcode checks unified social credit codes (统一社会信用代码, GB 32100-2015),
// the 18-character identity of every applicant. A code that fails these checks is a
// validation error and never becomes a stored enterprise (POLICIES.md, "Enterprises").
package creditcode

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Alphabet is the 31 characters a code may use, in the order of their values 0..30. The
// letters I, O, S, V and Z are left out so they cannot be mistaken for digits.
const Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Length is the number of characters in a code; the last one is the check character.
const Length = 18

// weights multiply the values of characters 1–17 (3^i mod 31).
var weights = [Length - 1]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// The kinds of failure, for errors.Is. The error returned carries a fuller sentence (the
// position or the expected character) meant to be shown as the field error.
var (
	ErrLength    = errors.New("must be 18 characters long")
	ErrCase      = errors.New("must be upper case")
	ErrCharacter = errors.New("has an illegal character")
	ErrCheck     = errors.New("check character mismatch")
)

// codeError is a detailed message that still matches its kind with errors.Is.
type codeError struct {
	kind error
	msg  string
}

func (e *codeError) Error() string { return e.msg }
func (e *codeError) Unwrap() error { return e.kind }

// Validate checks an 18-character code: length, upper case, alphabet, check character, in
// that order, and says what is wrong with the first failure. Lower case is refused rather
// than upper-cased, so that the code stored is the code the applicant typed.
func Validate(code string) error {
	if n := utf8.RuneCountInString(code); n != Length {
		return &codeError{ErrLength, fmt.Sprintf("must be 18 characters long (got %d)", n)}
	}
	if _, err := values(code); err != nil {
		return err
	}
	want, _ := CheckChar(code[:Length-1]) // cannot fail: values accepted all 18 characters
	if code[Length-1] != want {
		return &codeError{ErrCheck, fmt.Sprintf("check character mismatch (expected %c)", want)}
	}
	return nil
}

// CheckChar computes the check character (the 18th) of the first 17 characters:
// check = (31 − Σ value×weight mod 31) mod 31, written with Alphabet.
func CheckChar(first17 string) (byte, error) {
	if n := utf8.RuneCountInString(first17); n != Length-1 {
		return 0, &codeError{ErrLength, fmt.Sprintf("must be 17 characters long (got %d)", n)}
	}
	vals, err := values(first17)
	if err != nil {
		return 0, err
	}
	sum := 0
	for i, v := range vals {
		sum += v * weights[i]
	}
	return Alphabet[(31-sum%31)%31], nil
}

// Complete appends the check character to the first 17 characters, giving a valid code. It
// builds codes for tests and demo data; real codes come from the registration authority.
func Complete(first17 string) (string, error) {
	c, err := CheckChar(first17)
	if err != nil {
		return "", err
	}
	return first17 + string(c), nil
}

// values maps each character to its value, refusing lower case and characters outside the
// alphabet with their 1-based position. s has been checked to be ASCII-length-safe by the
// caller's rune count; a non-ASCII rune is reported as illegal at its rune position.
func values(s string) ([]int, error) {
	vals := make([]int, 0, len(s))
	pos := 0
	for _, r := range s {
		pos++
		if r >= 'a' && r <= 'z' {
			return nil, &codeError{ErrCase, fmt.Sprintf("must be upper case (character %d is %q)", pos, r)}
		}
		v := -1
		if r < utf8.RuneSelf {
			v = strings.IndexByte(Alphabet, byte(r))
		}
		if v < 0 {
			return nil, &codeError{ErrCharacter, fmt.Sprintf("illegal character %q at position %d", r, pos)}
		}
		vals = append(vals, v)
	}
	return vals, nil
}
