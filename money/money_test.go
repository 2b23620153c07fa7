package money

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // the value, when err is nil
		err  error
	}{
		{"plain integer", "1234", "1234", nil},
		{"two decimals", "1234.50", "1234.5", nil},
		{"one decimal", "0.5", "0.5", nil},
		{"smallest amount", "0.01", "0.01", nil},
		{"trailing zeros are not decimal places", "1.500", "1.5", nil},
		{"leading zeros are not digits", "007.10", "7.1", nil},
		{"18 integer digits fit NUMERIC(20,2)", "999999999999999999.99", "999999999999999999.99", nil},
		{"19 integer digits are too large", "1000000000000000000", "", ErrTooLarge},
		{"3 decimals refused", "1.234", "", ErrAmountPlaces},
		{"half a fen refused", "0.005", "", ErrAmountPlaces},
		{"zero refused", "0", "", ErrNotPositive},
		{"zero with decimals refused", "0.00", "", ErrNotPositive},
		{"negative refused", "-5", "", ErrNotPositive},
		{"negative zero refused", "-0.00", "", ErrNotPositive},
		{"exponent refused", "1e3", "", ErrAmountSyntax},
		{"leading plus refused", "+5", "", ErrAmountSyntax},
		{"leading space refused", " 5", "", ErrAmountSyntax},
		{"trailing space refused", "5 ", "", ErrAmountSyntax},
		{"empty refused", "", "", ErrAmountSyntax},
		{"point without fraction refused", "5.", "", ErrAmountSyntax},
		{"point without integer refused", ".5", "", ErrAmountSyntax},
		{"two points refused", "1.2.3", "", ErrAmountSyntax},
		{"grouping comma refused", "1,234.50", "", ErrAmountSyntax},
		{"fullwidth digits refused", "１２", "", ErrAmountSyntax},
		{"words refused", "ten", "", ErrAmountSyntax},
		{"lone minus refused", "-", "", ErrAmountSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.True(t, got.Equal(d(tt.want)), "got %s", got)
		})
	}
}

func TestParseErrorsReadAsFieldErrors(t *testing.T) {
	_, err := Parse("1e3")
	require.EqualError(t, err, `must be a decimal number such as "1234.50"`)
	_, err = Parse("1.234")
	require.EqualError(t, err, "must have at most 2 decimal places")
	_, err = Parse("-1")
	require.EqualError(t, err, "must be greater than 0")
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		err  error
	}{
		{"half", "0.50", "0.5", nil},
		{"zero is allowed", "0", "0", nil},
		{"one is allowed", "1", "1", nil},
		{"one with decimals is allowed", "1.00000000", "1", nil},
		{"8 decimal places", "0.00123456", "0.00123456", nil},
		{"9 decimal places refused", "0.001234567", "", ErrRatePlaces},
		{"above one refused", "1.00000001", "", ErrRateRange},
		{"percent figure refused", "50", "", ErrRateRange},
		{"negative refused", "-0.1", "", ErrRateRange},
		{"exponent refused", "5e-1", "", ErrRateSyntax},
		{"percent sign refused", "50%", "", ErrRateSyntax},
		{"empty refused", "", "", ErrRateSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRate(tt.in)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.True(t, got.Equal(d(tt.want)), "got %s", got)
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"half a fen rounds up", "0.005", "0.01"},
		{"less than half a fen rounds down", "0.004", "0.00"},
		{"2.675 rounds up (no binary float error)", "2.675", "2.68"},
		{"2.665 rounds up, not to even", "2.665", "2.67"},
		{"2.6749999 rounds down", "2.6749999", "2.67"},
		{"already two places unchanged", "1234.50", "1234.50"},
		{"integer gains two places", "7", "7.00"},
		{"zero", "0", "0.00"},
		{"big value stays exact", "999999999999999999.995", "1000000000000000000.00"},
		{"big value rounds down", "123456789012345678.994", "123456789012345678.99"},
		{"negative half rounds away from zero", "-0.005", "-0.01"},
		{"negative below half rounds towards zero", "-0.004", "0.00"},
		{"negative 2.675", "-2.675", "-2.68"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Round(d(tt.in))
			require.Equal(t, tt.want, got.StringFixed(2))
			require.True(t, got.Equal(d(tt.want)))
			require.Equal(t, int32(-2), got.Exponent(), "two places exactly")
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"pads one decimal", "1234.5", "1234.50"},
		{"pads an integer", "12", "12.00"},
		{"keeps two decimals", "0.01", "0.01"},
		{"zero", "0", "0.00"},
		{"rounds extra places half up", "0.125", "0.13"},
		{"big value", "999999999999999999.99", "999999999999999999.99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Format(d(tt.in)))
		})
	}
}

func TestCap(t *testing.T) {
	tests := []struct {
		name                string
		amount, limit, used string
		want                string
		capped              bool
	}{
		{"well under the cap", "1000.00", "500000.00", "0", "1000.00", false},
		{"exactly what is left", "1000.00", "500000.00", "499000.00", "1000.00", false},
		{"a fen over what is left", "1000.01", "500000.00", "499000.00", "1000.00", true},
		{"cap already used up", "1000.00", "500000.00", "500000.00", "0", true},
		{"used beyond the cap never pays negative", "1000.00", "500000.00", "600000.00", "0", true},
		{"zero amount is not capped", "0", "500000.00", "500000.00", "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paid, capped := Cap(d(tt.amount), d(tt.limit), d(tt.used))
			require.True(t, paid.Equal(d(tt.want)), "paid %s", paid)
			require.Equal(t, tt.capped, capped)
		})
	}
}
