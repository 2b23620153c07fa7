package creditcode

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		code string
		err  error  // nil when valid
		msg  string // the exact message, when err is set
	}{
		// Published codes, checked by hand against the algorithm as well.
		{"example printed in GB 32100-2015", "91350100M000100Y43", nil, ""},
		{"Beijing enterprise, check letter L", "91110000600037341L", nil, ""},
		// Built with an independent implementation of the algorithm.
		{"Tibet enterprise MA6T1XXXX", "91540000MA6T1XXXXN", nil, ""},
		{"Lhasa individual business", "92540102MA6T0ABC16", nil, ""},
		{"public institution, check letter U", "12100000400000770U", nil, ""},
		{"social organisation, check letter T", "52110000500021676T", nil, ""},
		{"Tibet code with a wrong check character", "91540000MA6T1XXXXX", ErrCheck,
			"check character mismatch (expected N)"},
		{"one digit changed", "91350100M000100Y44", ErrCheck, "check character mismatch (expected 3)"},
		{"two characters swapped", "19350100M000100Y43", ErrCheck, "check character mismatch (expected J)"},
		{"17 characters", "91350100M000100Y4", ErrLength, "must be 18 characters long (got 17)"},
		{"19 characters", "91350100M000100Y433", ErrLength, "must be 18 characters long (got 19)"},
		{"empty", "", ErrLength, "must be 18 characters long (got 0)"},
		{"with a space", "91350100M000100Y4 ", ErrCharacter, `illegal character ' ' at position 18`},
		{"lower case refused, not fixed", "91350100m000100Y43", ErrCase,
			`must be upper case (character 9 is 'm')`},
		{"letter I is not in the alphabet", "91350100I000100Y43", ErrCharacter,
			`illegal character 'I' at position 9`},
		{"letter O is not in the alphabet", "O1350100M000100Y43", ErrCharacter,
			`illegal character 'O' at position 1`},
		{"letter Z as check character", "91350100M000100Y4Z", ErrCharacter,
			`illegal character 'Z' at position 18`},
		{"full-width character counted once", "91350100M000100Y4３", ErrCharacter,
			`illegal character '３' at position 18`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.code)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
			require.EqualError(t, err, tt.msg)
		})
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		name    string
		first17 string
		want    byte
		err     error
	}{
		{"standard's example", "91350100M000100Y4", '3', nil},
		{"letter result", "91110000600037341", 'L', nil},
		{"all zeros checks to zero", "00000000000000000", '0', nil},
		{"sum 1 gives value 30, the last letter", "10000000000000000", 'Y', nil},
		{"16 characters", "9135010M000100Y4", 0, ErrLength},
		{"18 characters", "91350100M000100Y43", 0, ErrLength},
		{"lower case", "91350100m000100Y4", 0, ErrCase},
		{"illegal character", "91350100-000100Y4", 0, ErrCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckChar(tt.first17)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, string(tt.want), string(got))
		})
	}
}

func TestCompleteBuildsValidCodes(t *testing.T) {
	for _, first17 := range []string{
		"91540000MA6T1XXXX", "91630000MA752ABCD", "91140200MA0K12345", "91150000MA0N00001",
		"00000000000000000", "YYYYYYYYYYYYYYYYY",
	} {
		t.Run(first17, func(t *testing.T) {
			code, err := Complete(first17)
			require.NoError(t, err)
			require.Len(t, code, Length)
			require.NoError(t, Validate(code))
		})
	}
	_, err := Complete("short")
	require.ErrorIs(t, err, ErrLength)
}

func TestWeightsArePowersOfThreeModulo31(t *testing.T) {
	w := 1
	for i, got := range weights {
		require.Equal(t, w, got, "weight %d", i+1)
		w = w * 3 % 31
	}
	require.Len(t, Alphabet, 31)
}

func TestEntityTypeFromTheFirstTwoCharacters(t *testing.T) {
	for code, want := range map[string]EntityType{
		"91540100MA6T000019": Enterprise,
		"92540100MA6T000019": IndividualBusiness,
		"93540100MA6T000019": Cooperative,
		"11540100MA6T000019": Other, // an organ of state
		"94540100MA6T000019": Other,
		"":                   Other,
	} {
		if got := EntityTypeOf(code); got != want {
			t.Errorf("EntityTypeOf(%q) = %s, want %s", code, got, want)
		}
	}
}
