// Package payloadcodec encrypts every Temporal payload subsidyflow writes (workflow inputs,
// activity results, update arguments, …) with AES-256-GCM before it leaves the process, so
// the Temporal server's database and its UI hold bank account numbers and other personal
// data only as ciphertext. Each encrypted payload names its key in its metadata, so keys
// can rotate: the first key encrypts, every listed key still decrypts. Payloads that are not
// encrypted (histories from before the codec, recorded test histories) pass through.
package payloadcodec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const (
	// Encoding marks a payload this codec encrypted (the "encoding" metadata).
	Encoding = "binary/encrypted"
	// MetadataKeyID names the key that encrypted a payload.
	MetadataKeyID = "encryption-key-id"
	// KeySize is the length of an AES-256 key in bytes.
	KeySize = 32
)

// Key is one named AES-256 key.
type Key struct {
	ID     string
	Secret []byte // KeySize bytes
}

// Codec is a converter.PayloadCodec with a ring of keys.
type Codec struct {
	active string
	aeads  map[string]cipher.AEAD
}

var _ converter.PayloadCodec = (*Codec)(nil)

// New returns a codec that encrypts with keys[0] and decrypts with any of keys.
func New(keys []Key) (*Codec, error) {
	if len(keys) == 0 {
		return nil, errors.New("payloadcodec: no key")
	}
	c := &Codec{active: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for _, k := range keys {
		if err := checkID(k.ID); err != nil {
			return nil, err
		}
		if len(k.Secret) != KeySize {
			return nil, fmt.Errorf("payloadcodec: key %q is %d bytes, want %d (AES-256)", k.ID, len(k.Secret), KeySize)
		}
		if _, dup := c.aeads[k.ID]; dup {
			return nil, fmt.Errorf("payloadcodec: key id %q listed twice", k.ID)
		}
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("payloadcodec: key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("payloadcodec: key %q: %w", k.ID, err)
		}
		c.aeads[k.ID] = aead
	}
	return c, nil
}

// ActiveKeyID is the id of the key new payloads are encrypted with.
func (c *Codec) ActiveKeyID() string { return c.active }

// Encode encrypts each payload, metadata and all, into a new payload that carries only the
// encoding and the key id in clear.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead := c.aeads[c.active]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := p.Marshal()
		if err != nil {
			return payloads, fmt.Errorf("payloadcodec: marshal payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		_, _ = rand.Read(nonce) // crypto/rand does not fail on supported platforms
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetadataKeyID:              []byte(c.active),
			},
			// The key id is authenticated too: a payload cannot be relabelled to another key.
			Data: aead.Seal(nonce, nonce, plain, []byte(c.active)),
		}
	}
	return out, nil
}

// Decode decrypts the payloads this codec encrypted and passes the others through.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		aead, ok := c.aeads[id]
		if !ok {
			return payloads, fmt.Errorf("payloadcodec: payload encrypted with key %q, which is not configured (PAYLOAD_KEYS)", id)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize() {
			return payloads, errors.New("payloadcodec: encrypted payload too short")
		}
		plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(id))
		if err != nil {
			return payloads, fmt.Errorf("payloadcodec: decrypt with key %q: %w", id, err)
		}
		dec := &commonpb.Payload{}
		if err := dec.Unmarshal(plain); err != nil {
			return payloads, fmt.Errorf("payloadcodec: decrypted payload: %w", err)
		}
		out[i] = dec
	}
	return out, nil
}

// DataConverter is the SDK's default converter with this codec in front: what every client
// and worker of subsidyflow uses.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

func checkID(id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("payloadcodec: key id %q must be 1 to 64 characters", id)
	}
	for _, r := range id {
		ok := r == '-' || r == '_' || r == '.' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return fmt.Errorf("payloadcodec: key id %q: use letters, digits, '-', '_' and '.' only", id)
		}
	}
	return nil
}
