package app

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// A client that trickles its body is cut off once the read timeout passes, instead of
// holding the connection for as long as it likes.
func TestTricklingBodyIsCutOff(t *testing.T) {
	old := ReadTimeout
	ReadTimeout = time.Second
	t.Cleanup(func() { ReadTimeout = old })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewHTTPServer("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/claims HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	start := time.Now()
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 1)
		for {
			if _, err := conn.Read(buf); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	for i := 0; i < 20; i++ { // one byte every 250 ms: 5 s if nobody stops it
		select {
		case d := <-closed:
			if d > 3*time.Second {
				t.Fatalf("the connection was held %s", d)
			}
			return
		case <-time.After(250 * time.Millisecond):
			_, _ = conn.Write([]byte("x"))
		}
	}
	t.Fatal("the trickling connection was still open after 5 s")
}
