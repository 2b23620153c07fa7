package payloadcodec

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const account = "6222000012345678"

func encodeValue(t *testing.T, c *Codec, v any) *commonpb.Payload {
	t.Helper()
	p, err := c.DataConverter().ToPayload(v)
	require.NoError(t, err)
	return p
}

func TestEncryptedPayloadHidesDataAndNamesItsKey(t *testing.T) {
	c, err := New([]Key{RandomKey("k1")})
	require.NoError(t, err)
	p := encodeValue(t, c, map[string]string{"account_number": account})

	require.Equal(t, Encoding, string(p.Metadata[converter.MetadataEncoding]))
	require.Equal(t, "k1", string(p.Metadata[MetadataKeyID]))
	require.False(t, bytes.Contains(p.Data, []byte(account)), "account number in clear")
	require.False(t, bytes.Contains(p.Data, []byte("json/plain")), "inner metadata in clear")

	var back map[string]string
	require.NoError(t, c.DataConverter().FromPayload(p, &back))
	require.Equal(t, account, back["account_number"])
}

func TestRotatedKeysStillDecryptOldPayloads(t *testing.T) {
	old, next := RandomKey("2026-05"), RandomKey("2026-11")
	before, err := New([]Key{old})
	require.NoError(t, err)
	p := encodeValue(t, before, "paid to "+account)

	after, err := New([]Key{next, old})
	require.NoError(t, err)
	var s string
	require.NoError(t, after.DataConverter().FromPayload(p, &s))
	require.Equal(t, "paid to "+account, s)
	require.Equal(t, "2026-11", string(encodeValue(t, after, "x").Metadata[MetadataKeyID]), "new payloads use the first key")

	dropped, err := New([]Key{next})
	require.NoError(t, err)
	require.ErrorContains(t, dropped.DataConverter().FromPayload(p, &s), `key "2026-05"`)
}

func TestPlainPayloadsPassThrough(t *testing.T) {
	c, err := New([]Key{RandomKey("k1")})
	require.NoError(t, err)
	plain, err := converter.GetDefaultDataConverter().ToPayload("recorded before the codec")
	require.NoError(t, err)
	var s string
	require.NoError(t, c.DataConverter().FromPayload(plain, &s))
	require.Equal(t, "recorded before the codec", s)
}

func TestTamperedPayloadIsRefused(t *testing.T) {
	k1, k2 := RandomKey("k1"), RandomKey("k2")
	k2.Secret = k1.Secret // same secret: only the authenticated key id tells them apart
	c, err := New([]Key{k1, k2})
	require.NoError(t, err)
	p := encodeValue(t, c, "x")
	p.Metadata[MetadataKeyID] = []byte("k2")
	_, err = c.Decode([]*commonpb.Payload{p})
	require.Error(t, err, "relabelled key id")

	p = encodeValue(t, c, "x")
	p.Data[len(p.Data)-1] ^= 1
	_, err = c.Decode([]*commonpb.Payload{p})
	require.Error(t, err, "flipped bit")

	p.Data = p.Data[:3]
	_, err = c.Decode([]*commonpb.Payload{p})
	require.Error(t, err, "truncated")
}

func TestParseKeys(t *testing.T) {
	k1, k2 := RandomKey("a"), RandomKey("b")
	keys, err := ParseKeys(" " + FormatKeys([]Key{k1, k2}) + ",")
	require.NoError(t, err)
	require.Equal(t, []Key{k1, k2}, keys)

	for name, spec := range map[string]string{
		"empty":          "",
		"no id":          "c2VjcmV0",
		"not base64":     "a:!!!",
		"short key":      "a:c2hvcnQ=",
		"duplicate id":   FormatKeys([]Key{k1, k1}),
		"id with spaces": "a b:" + FormatKeys([]Key{k1})[2:],
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseKeys(spec)
			require.Error(t, err)
		})
	}
}

func TestParseKeysNeverPrintsASecret(t *testing.T) {
	secret := FormatKeys([]Key{RandomKey("a")})[2:]
	_, err := ParseKeys(secret)
	require.Error(t, err)
	require.NotContains(t, err.Error(), secret[:6])
}

func TestDevKeysArePersisted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".data")
	first, err := DevKeys(dir)
	require.NoError(t, err)
	again, err := DevKeys(dir)
	require.NoError(t, err)
	require.Equal(t, first, again, "a restarted dev must read the histories it wrote")
	info, err := os.Stat(filepath.Join(dir, devKeyFile))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}
