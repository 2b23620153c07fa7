package lpr

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestInForce(t *testing.T) {
	tests := []struct {
		name string
		day  time.Time
		want string // the rate in force; "" when none is
	}{
		{"before the first fixing", day("2019-08-19"), ""},
		{"long before the first fixing", day("2010-01-01"), ""},
		{"on the first fixing's day", day("2019-08-20"), "0.0425"},
		{"the day after the first fixing", day("2019-08-21"), "0.0425"},
		{"the day before a fixing", day("2022-08-21"), "0.037"},
		{"on a fixing's day", day("2022-08-22"), "0.0365"},
		{"the day after a fixing", day("2022-08-23"), "0.0365"},
		{"between fixings", day("2023-03-15"), "0.0365"},
		{"on a fixing that follows another by a month", day("2019-09-20"), "0.042"},
		{"the day before the last fixing", day("2025-05-19"), "0.031"},
		{"on the last fixing", day("2025-05-20"), "0.03"},
		{"long after the last fixing", day("2030-12-31"), "0.03"},
		{"a leap day", day("2024-02-29"), "0.0345"},
		{"the time of day does not count", time.Date(2022, 8, 22, 23, 59, 0, 0, time.UTC), "0.0365"},
		{"the date is read in its own zone", time.Date(2022, 8, 22, 0, 30, 0, 0, time.FixedZone("CST", 8*3600)), "0.0365"},
		{"one minute before a fixing's day", time.Date(2022, 8, 21, 23, 59, 0, 0, time.FixedZone("CST", 8*3600)), "0.037"},
	}
	tab := Published()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := tab.InForce(tt.day)
			require.Equal(t, tt.want != "", ok)
			if ok {
				require.Equal(t, tt.want, f.Rate.String())
				require.False(t, f.Effective.After(civil(tt.day)), "effective on or before the day")
			}
		})
	}
}

func TestInForceOnAnEmptyTable(t *testing.T) {
	_, ok := Table(nil).InForce(day("2024-01-01"))
	require.False(t, ok)
}

func TestAdd(t *testing.T) {
	future := Fixing{day("2025-09-22"), dec("0.029")}
	withFuture, err := Published().Add(future, day("2025-06-01"))
	require.NoError(t, err)

	tests := []struct {
		name    string
		table   Table
		fixing  Fixing
		today   string
		wantLen int // the table's length afterwards
	}{
		{"a future fixing", Published(), Fixing{day("2025-06-20"), dec("0.029")}, "2025-06-01", 14},
		{"a fixing taking effect today", Published(), Fixing{day("2025-06-20"), dec("0.029")}, "2025-06-20", 14},
		{"a fixing entered days late is the latest in force", Published(), Fixing{day("2025-06-20"), dec("0.029")},
			"2025-06-25", 14},
		{"a fixing due before an entered future one", withFuture, Fixing{day("2025-08-20"), dec("0.0295")},
			"2025-06-25", 15},
		{"the same fixing again changes nothing", Published(), Fixing{day("2023-06-20"), dec("0.0355")}, "2025-01-01", 13},
		{"the same rate written differently is the same", Published(), Fixing{day("2023-06-20"), dec("0.035500")},
			"2025-01-01", 13},
		{"a future fixing again", withFuture, future, "2025-06-01", 14},
		{"the time of day does not count", Published(),
			Fixing{time.Date(2025, 6, 20, 9, 15, 0, 0, time.UTC), dec("0.029")}, "2025-06-01", 14},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.table.Add(tt.fixing, day(tt.today))
			require.NoError(t, err)
			require.Len(t, got, tt.wantLen)
			f, ok := got.InForce(tt.fixing.Effective)
			require.True(t, ok)
			require.Equal(t, civil(tt.fixing.Effective), f.Effective)
			require.True(t, f.Rate.Equal(tt.fixing.Rate))
			for i := 1; i < len(got); i++ {
				require.True(t, got[i-1].Effective.Before(got[i].Effective), "stays sorted")
			}
		})
	}
}

func TestAddRefuses(t *testing.T) {
	withFuture, err := Published().Add(Fixing{day("2025-09-22"), dec("0.029")}, day("2025-06-01"))
	require.NoError(t, err)

	tests := []struct {
		name    string
		table   Table
		fixing  Fixing
		today   string
		want    error
		message string
	}{
		{"another rate for a fixing in force", Published(), Fixing{day("2023-06-20"), dec("0.035")}, "2025-01-01",
			ErrInForce, "a fixing already in force cannot be changed: 3.55 % is in force since 2023-06-20"},
		{"another rate for a fixing taking effect today", Published(), Fixing{day("2025-05-20"), dec("0.031")},
			"2025-05-20", ErrInForce, ""},
		{"another rate for a future fixing", withFuture, Fixing{day("2025-09-22"), dec("0.028")}, "2025-06-01",
			ErrDuplicate, "a fixing for this date exists with a different rate: 2.90 % is fixed for 2025-09-22"},
		{"a past date between fixings in force", Published(), Fixing{day("2023-07-01"), dec("0.035")}, "2025-01-01",
			ErrInForce, "the later fixing of 2023-08-21 is already in force"},
		{"a date before the first fixing", Published(), Fixing{day("2019-01-01"), dec("0.0431")}, "2025-01-01",
			ErrInForce, ""},
		{"a past date before a fixing that took effect today", Published(), Fixing{day("2025-05-01"), dec("0.031")},
			"2025-05-20", ErrInForce, ""},
		{"a zero rate", Published(), Fixing{day("2025-06-20"), dec("0")}, "2025-06-01", ErrBadRate, "(got 0)"},
		{"a percentage where a fraction belongs", Published(), Fixing{day("2025-06-20"), dec("3.00")}, "2025-06-01",
			ErrBadRate, ""},
		{"nine decimals", Published(), Fixing{day("2025-06-20"), dec("0.030000001")}, "2025-06-01", ErrBadRate, ""},
		{"no date", Published(), Fixing{Rate: dec("0.03")}, "2025-06-01", ErrNoDate, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append(Table(nil), tt.table...)
			got, err := tt.table.Add(tt.fixing, day(tt.today))
			require.ErrorIs(t, err, tt.want)
			require.ErrorContains(t, err, tt.message)
			require.Equal(t, before, got, "a refused fixing leaves the table as it was")
		})
	}
}

// Add returns a new table: the one it was called on, which others may be reading, keeps
// its fixings even when its backing array has room to spare.
func TestAddLeavesTheTableItWasCalledOn(t *testing.T) {
	tab := make(Table, 2, 10)
	copy(tab, Published()[:2])
	got, err := tab.Add(Fixing{day("2019-08-25"), dec("0.0424")}, day("2019-08-22"))
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, day("2019-09-20"), tab[1].Effective)
	require.Equal(t, day("2019-08-25"), got[1].Effective)
}

func TestPercent(t *testing.T) {
	require.Equal(t, "3.65 %", Fixing{Rate: dec("0.0365")}.Percent())
	require.Equal(t, "3.00 %", Percent(dec("0.03")))
	require.Equal(t, "3.125 %", Percent(dec("0.03125")))
	require.Equal(t, "100.00 %", Percent(dec("1")))
}
