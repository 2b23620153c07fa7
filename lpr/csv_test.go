package lpr

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPublishedIsTheShippedFile(t *testing.T) {
	tab := Published()
	require.Len(t, tab, 13)
	require.Equal(t, day("2019-08-20"), tab[0].Effective)
	require.Equal(t, "0.0425", tab[0].Rate.String(), "4.25 % is the fraction 0.0425, exactly")
	require.Equal(t, day("2025-05-20"), tab[12].Effective)
	require.Equal(t, "0.03", tab[12].Rate.String())
	for i := 1; i < len(tab); i++ {
		require.True(t, tab[i-1].Effective.Before(tab[i].Effective), "sorted, one fixing per date")
	}
}

func TestPublishedReturnsACopy(t *testing.T) {
	tab := Published()
	tab[0].Rate = dec("0.99")
	require.Equal(t, "0.0425", Published()[0].Rate.String())
}

func TestParseCSV(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		dates []string
		rates []string
	}{
		{"published form", Header + "\n2019-08-20,4.25\n2019-09-20,4.20\n",
			[]string{"2019-08-20", "2019-09-20"}, []string{"0.0425", "0.042"}},
		{"rows out of order are sorted", Header + "\n2023-08-21,3.45\n2019-08-20,4.25\n2022-08-22,3.65\n",
			[]string{"2019-08-20", "2022-08-22", "2023-08-21"}, []string{"0.0425", "0.0365", "0.0345"}},
		{"CRLF line ends and no final newline", Header + "\r\n2019-08-20,4.25\r\n2019-09-20,4.2",
			[]string{"2019-08-20", "2019-09-20"}, []string{"0.0425", "0.042"}},
		{"a spreadsheet's byte-order mark", "\ufeff" + Header + "\n2019-08-20,4.25\n",
			[]string{"2019-08-20"}, []string{"0.0425"}},
		{"blank lines are skipped", Header + "\n\n2019-08-20,4.25\n\n",
			[]string{"2019-08-20"}, []string{"0.0425"}},
		{"six decimals of a percent are eight of the fraction", Header + "\n2019-08-20,3.123456\n",
			[]string{"2019-08-20"}, []string{"0.03123456"}},
		{"100 % is the largest rate", Header + "\n2019-08-20,100\n", []string{"2019-08-20"}, []string{"1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseCSV(strings.NewReader(tt.in))
			require.NoError(t, err)
			var dates, rates []string
			for _, f := range tab {
				dates = append(dates, date(f.Effective))
				rates = append(rates, f.Rate.String())
			}
			require.Equal(t, tt.dates, dates)
			require.Equal(t, tt.rates, rates)
		})
	}
}

func TestParseCSVRefuses(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    error
		message string
	}{
		{"an empty file", "", ErrEmpty, "the file has no fixing"},
		{"a header without rows", Header + "\n", ErrEmpty, ""},
		{"another header", "date,rate\n2019-08-20,4.25\n", ErrHeader, "line 1: "},
		{"no header", "2019-08-20,4.25\n", ErrHeader, ""},
		{"a third field", Header + "\n2019-08-20,4.25,x\n", ErrFields, "line 2: a row must have exactly 2 fields (got 3)"},
		{"one field", Header + "\n2019-08-20,4.25\n2019-09-20\n", ErrFields, "line 3: "},
		{"a day February lacks", Header + "\n2019-02-30,4.25\n", ErrDate, `(got "2019-02-30")`},
		{"a date in another form", Header + "\n20/08/2019,4.25\n", ErrDate, ""},
		{"a percent sign", Header + "\n2019-08-20,4.25%\n", ErrPercent, `(got "4.25%")`},
		{"a negative rate", Header + "\n2019-08-20,-4.25\n", ErrPercent, ""},
		{"zero", Header + "\n2019-08-20,0.00\n", ErrPercent, ""},
		{"above 100 %", Header + "\n2019-08-20,100.01\n", ErrPercent, ""},
		{"seven decimals", Header + "\n2019-08-20,4.1234567\n", ErrPercent, ""},
		{"an exponent", Header + "\n2019-08-20,4.25e0\n", ErrPercent, ""},
		{"a space", Header + "\n2019-08-20, 4.25\n", ErrPercent, ""},
		{"a date twice", Header + "\n2019-08-20,4.25\n2019-09-20,4.20\n2019-08-20,4.25\n", ErrRepeatedDate,
			"line 4: the date appears twice (2019-08-20, first on line 2)"},
		{"a broken quote", Header + "\n\"2019-08-20,4.25\n", csv.ErrQuote, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ParseCSV(strings.NewReader(tt.in))
			require.ErrorIs(t, err, tt.want)
			require.ErrorContains(t, err, tt.message)
			require.Nil(t, tab)
		})
	}
}
