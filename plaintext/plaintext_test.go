package plaintext

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      error
	}{
		{"plain Chinese and English", "运费单据已核对 waybills checked", false, nil},
		{"newlines and tabs in a note", "line 1\n\tline 2\r\n", true, nil},
		{"newline in a single-line field", "a\nb", false, ErrControl},
		{"NUL", "a\x00b", true, ErrNUL},
		{"invalid UTF-8", "\xff\xfe", true, ErrEncoding},
		{"bell", "ding\a", true, ErrControl},
		{"escape sequence", "\x1b[2J", true, ErrControl},
		{"DEL", "a\x7f", true, ErrControl},
		{"C1 control", "a\u0085b", true, ErrControl},
		{"right-to-left override", "amount \u202e05.0001", true, ErrInvisible},
		{"zero-width space", "demo-officer\u200b", false, ErrInvisible},
		{"byte-order mark", "\ufeffnote", true, ErrInvisible},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.in, tt.multiline); !errors.Is(got, tt.want) {
				t.Fatalf("Check(%q, %v) = %v, want %v", tt.in, tt.multiline, got, tt.want)
			}
		})
	}
}
