package access

import (
	"errors"
	"strings"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/subsidyflow/subsidyflow/plaintext"
)

// fold is Unicode case folding: "Demo-Officer" and "demo-officer" are one person.
var fold = cases.Fold()

// NormalizeSubject is the one form of a token holder's name that the system compares:
// NFKC (full-width and compatibility characters become their plain forms), case-folded,
// trimmed, inner runs of spaces collapsed. Invisible and control characters are refused,
// not removed: "demo-officer\u200b" is somebody pretending, not a typing slip. Tokens are
// minted with it, so the four-eyes and own-claim rules compare people, not spellings.
func NormalizeSubject(s string) (string, error) {
	if err := plaintext.Check(s, false); err != nil {
		return "", err
	}
	n := strings.Join(strings.Fields(fold.String(norm.NFKC.String(s))), " ")
	if n == "" {
		return "", errors.New("is required")
	}
	if len(n) > 200 {
		return "", errors.New("must be at most 200 characters long")
	}
	return n, nil
}
