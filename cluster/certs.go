package cluster

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The identities the cluster's CA signs. The frontend admits a client only with a
// certificate from this CA, so this list is the list of who may reach Temporal at all.
const (
	ServerIdentity       = "temporal-cluster"       // frontend and internode listeners; also the internode client
	SystemWorkerIdentity = "temporal-system-worker" // the server's own system workers calling the frontend
	APIIdentity          = "subsidyflow-api"
	WorkerIdentity       = "subsidyflow-worker"
)

// ServerNames are the names the server certificate is valid for: loopback for `make
// cluster`, "temporal" for the compose service.
var ServerNames = []string{"localhost", "temporal"}

// certValidity is long enough for a development or test cluster; production brings its own PKI.
const certValidity = 365 * 24 * time.Hour

// Certs are the files of one identity.
type Certs struct{ Cert, Key string }

// CertPaths names the files under dir for an identity (ca, temporal-cluster, ...).
func CertPaths(dir, name string) Certs {
	return Certs{Cert: filepath.Join(dir, name+".pem"), Key: filepath.Join(dir, name+".key")}
}

// EnsureCerts creates, under dir, a CA and certificates signed by it for the server, its
// system workers, the api and the worker, keeping any that already exist (so a restarted
// cluster keeps admitting the processes that hold the old ones).
func EnsureCerts(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	ca := CertPaths(dir, "ca")
	if !exists(ca.Cert) {
		if err := NewCA(ca, "subsidyflow cluster CA"); err != nil {
			return err
		}
	}
	if !exists(CertPaths(dir, ServerIdentity).Cert) {
		if err := Issue(ca, CertPaths(dir, ServerIdentity), ServerIdentity, ServerNames, true); err != nil {
			return err
		}
	}
	for _, id := range []string{SystemWorkerIdentity, APIIdentity, WorkerIdentity} {
		if exists(CertPaths(dir, id).Cert) {
			continue
		}
		if err := Issue(ca, CertPaths(dir, id), id, nil, false); err != nil {
			return err
		}
	}
	return nil
}

// UIIdentity is the Temporal Web UI's, in docker-compose, where the UI is a separate
// client of the cluster.
const UIIdentity = "temporal-ui"

// EnsureSharedCerts is EnsureCerts plus the UI's certificate, with every file readable by
// all users, for docker-compose: the upstream Temporal images run as uid 1000 and ours as
// 65532, and they share the certs volume. Keys readable by all are for a local compose
// only; a deployment mounts each process's own key from its secret store.
func EnsureSharedCerts(dir string) error {
	if err := EnsureCerts(dir); err != nil {
		return err
	}
	if !exists(CertPaths(dir, UIIdentity).Cert) {
		if err := Issue(CertPaths(dir, "ca"), CertPaths(dir, UIIdentity), UIIdentity, nil, false); err != nil {
			return err
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(dir, e.Name()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// NewCA writes a self-signed certificate authority.
func NewCA(out Certs, name string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"subsidyflow"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(certValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	return write(out, der, key)
}

// Issue writes a certificate for name signed by the CA in ca. A server certificate is
// valid for hosts (DNS names or IPs, 127.0.0.1 always) and may also act as a client, as
// internode connections need; a client certificate is for client authentication only.
func Issue(ca, out Certs, name string, hosts []string, server bool) error {
	caCert, caKey, err := load(ca)
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name, Organization: []string{"subsidyflow"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(certValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		for _, h := range hosts {
			if ip := net.ParseIP(h); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			} else {
				tmpl.DNSNames = append(tmpl.DNSNames, h)
			}
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	return write(out, der, key)
}

func load(c Certs) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(c.Cert)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(c.Key)
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, fmt.Errorf("%s: not PEM", c.Cert)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func write(out Certs, der []byte, key *ecdsa.PrivateKey) error {
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	// The key first: a certificate without its key would be kept by EnsureCerts for ever.
	if err := os.WriteFile(out.Key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return err
	}
	return os.WriteFile(out.Cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120)) // crypto/rand does not fail
	return n
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}
