package payloadcodec

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ParseKeys reads PAYLOAD_KEYS: comma-separated "id:base64" pairs, the first being the key
// new payloads are encrypted with (e.g. "2026-11:…,2026-05:…" after a rotation). Each key is
// 32 random bytes, e.g. `openssl rand -base64 32`.
func ParseKeys(spec string) ([]Key, error) {
	var keys []Key
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok {
			// The entry may be a bare secret: say where it is, never what it holds.
			return nil, fmt.Errorf("PAYLOAD_KEYS: entry %d is not id:base64", len(keys)+1)
		}
		secret, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("PAYLOAD_KEYS: key %q is not base64", id)
		}
		keys = append(keys, Key{ID: id, Secret: secret})
	}
	if len(keys) == 0 {
		return nil, errors.New("PAYLOAD_KEYS: no key")
	}
	// New checks sizes and ids; do it here so a bad setting fails at start-up.
	if _, err := New(keys); err != nil {
		return nil, fmt.Errorf("PAYLOAD_KEYS: %w", err)
	}
	return keys, nil
}

// FormatKeys is the PAYLOAD_KEYS form of keys.
func FormatKeys(keys []Key) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.ID + ":" + base64.StdEncoding.EncodeToString(k.Secret)
	}
	return strings.Join(parts, ",")
}

// devKeyFile holds dev's key beside the embedded server's history: the history outlives
// the process, so its key must too, or old claims could no longer be read.
const devKeyFile = "payload-keys"

// DevKeys loads the keys kept in dir, creating one random key on first use.
func DevKeys(dir string) ([]Key, error) {
	path := filepath.Join(dir, devKeyFile)
	raw, err := os.ReadFile(path)
	if err == nil {
		return ParseKeys(strings.TrimSpace(string(raw)))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("dev payload keys: %w", err)
	}
	keys := []Key{RandomKey("dev-1")}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dev payload keys: %w", err)
	}
	if err := os.WriteFile(path, []byte(FormatKeys(keys)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("dev payload keys: %w", err)
	}
	return keys, nil
}

// RandomKey is a fresh key named id.
func RandomKey(id string) Key {
	secret := make([]byte, KeySize)
	_, _ = rand.Read(secret) // crypto/rand does not fail on supported platforms
	return Key{ID: id, Secret: secret}
}
