package region

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		code string
		err  error
	}{
		{"Tibet", "540000", nil},
		{"Lhasa", "540100", nil},
		{"Chengguan district", "540102", nil},
		{"Beijing, lowest province", "110000", nil},
		{"Macao, highest province", "820000", nil},
		{"Datong", "140200", nil},
		{"all zeros", "000000", ErrProvince},
		{"province 10 does not exist", "100000", ErrProvince},
		{"province 83 does not exist", "830000", ErrProvince},
		{"province 99 does not exist", "990000", ErrProvince},
		{"five digits", "54000", ErrFormat},
		{"seven digits", "5400000", ErrFormat},
		{"nine-digit township code", "540102001", ErrFormat},
		{"letters", "54A000", ErrFormat},
		{"space", "540 00", ErrFormat},
		{"full-width digits", "５４００００", ErrFormat},
		{"empty", "", ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.code)
			if tt.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.err)
		})
	}
}

func TestLevelOf(t *testing.T) {
	tests := []struct {
		name string
		code string
		want Level
	}{
		{"province", "540000", Province},
		{"city", "540100", City},
		{"county", "540102", County},
		{"county-level unit directly under a province", "469001", County},
		{"city part zero but county part set is a county", "540002", County},
		{"invalid has no level", "000000", ""},
		{"malformed has no level", "5401", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, LevelOf(tt.code))
		})
	}
}

func TestContains(t *testing.T) {
	tests := []struct {
		name         string
		parent, code string
		want         bool
	}{
		{"Tibet contains Lhasa", "540000", "540100", true},
		{"Tibet contains Chengguan district", "540000", "540102", true},
		{"Tibet contains itself", "540000", "540000", true},
		{"Lhasa contains Chengguan district", "540100", "540102", true},
		{"Lhasa contains itself", "540100", "540100", true},
		{"Lhasa does not contain Shigatse", "540100", "540200", false},
		{"Lhasa does not contain a Shigatse county", "540100", "540202", false},
		{"Lhasa does not contain Tibet", "540100", "540000", false},
		{"Qinghai does not contain Tibet", "630000", "540000", false},
		{"Tibet does not contain Xining", "540000", "630100", false},
		{"county contains itself", "540102", "540102", true},
		{"county does not contain its neighbour", "540102", "540103", false},
		{"county does not contain its city", "540102", "540100", false},
		{"Datong contains its district", "140200", "140213", true},
		{"Datong does not contain Taiyuan", "140200", "140100", false},
		{"invalid parent contains nothing", "000000", "000000", false},
		{"invalid code is inside nothing", "540000", "54010", false},
		{"code with bad province is inside nothing", "540000", "000000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Contains(tt.parent, tt.code))
		})
	}
}
