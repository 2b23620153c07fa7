package guarantee

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/sizeclass"
)

func TestSizeOf(t *testing.T) {
	tests := []struct {
		name     string
		borrower string
		claimed  string
		want     sizeclass.Class
		note     string
	}{
		{"registry agrees", smallFirm, "small", sizeclass.Small, ""},
		{"registry wins over the claim", smallFirm, "medium", sizeclass.Small, "registry says small, claim says medium"},
		{"registry makes it large", largeFirm, "micro", sizeclass.Large, "registry says large, claim says micro"},
		{"unregistered: the claim is the fallback", unregistered, "micro", sizeclass.Micro,
			"borrower not in the registry: its claimed class micro is used"},
		{"individual business has no class", shop, "small", "", "registry gives no size class, claim says small"},
		{"lower-case code is the same borrower", " " + lower(smallFirm), "medium", sizeclass.Small,
			"registry says small, claim says medium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := registry.SizeOf(contract("G-1", borrower(tt.borrower, tt.claimed)))
			require.Equal(t, tt.want, s.Class)
			require.Equal(t, tt.note, s.Note())
		})
	}
	unregisteredShop := Borrowers{}.SizeOf(contract("G-1", borrower(shop, "micro")))
	require.Equal(t, sizeclass.Class(""), unregisteredShop.Class, "the code says individual business, whatever is claimed")
	require.Equal(t, "borrower not in the registry: its claimed class micro is used", unregisteredShop.Note())

	never := Borrowers(nil).SizeOf(contract("G-1", borrower(smallFirm, "medium")))
	require.Equal(t, sizeclass.Medium, never.Class)
	require.Equal(t, "registry not consulted: the claimed class medium is used", never.Note())
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func stored(t *testing.T, lines ...Contract) json.RawMessage {
	b, err := json.Marshal(Payload{Contracts: lines})
	require.NoError(t, err)
	return b
}

func TestBorrowerCodes(t *testing.T) {
	payload := stored(t, contract("G-1", borrower(smallFirm, "small")), contract("G-2", borrower(" "+lower(largeFirm), "large")),
		contract("G-3", borrower(smallFirm, "small")), contract("G-4", borrower(unregistered, "micro")))
	require.Equal(t, []string{smallFirm, largeFirm, unregistered}, BorrowerCodes(payload))
	require.Nil(t, BorrowerCodes(json.RawMessage(`{"contracts": 7}`)))
}

func TestWithRegistered(t *testing.T) {
	payload := stored(t, contract("G-1", borrower(smallFirm, "medium")), contract("G-2", borrower(unregistered, "micro")),
		contract("G-3", borrower(shop, "micro")))
	lookedUp := Borrowers{smallFirm: "small", shop: "", largeFirm: "large"} // largeFirm is not named: dropped
	out, err := WithRegistered(payload, lookedUp)
	require.NoError(t, err)

	var members map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &members))
	require.JSONEq(t, `{"`+smallFirm+`":"small","`+shop+`":""}`, string(members[BorrowersKey]))
	var before map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(payload, &before))
	require.Equal(t, string(before["contracts"]), string(members["contracts"]), "the contracts are kept as stored")

	var body Payload
	require.NoError(t, json.Unmarshal(out, &body))
	require.Equal(t, Borrowers{smallFirm: "small", shop: ""}, body.Borrowers)

	none, err := WithRegistered(payload, nil)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(none, &members))
	require.JSONEq(t, `{}`, string(members[BorrowersKey]), "written even when nobody is registered")
	require.Equal(t, []string{
		"borrower not in the registry: its claimed class medium is used",
		"borrower not in the registry: its claimed class micro is used",
		"borrower not in the registry: its claimed class micro is used",
	}, sizeNotes(t, none), "an empty answer still shows the registry was asked")
}

func TestWithRegisteredRefuses(t *testing.T) {
	payload := stored(t, contract("G-1", borrower(smallFirm, "small")))
	_, err := WithRegistered(payload, Borrowers{smallFirm: "Small"})
	require.ErrorContains(t, err, `"Small" is not a size class`)
	_, err = WithRegistered(json.RawMessage(`[1]`), nil)
	require.Error(t, err)
	_, err = WithRegistered(json.RawMessage(`{"contracts": "x"}`), nil)
	require.Error(t, err)
}
