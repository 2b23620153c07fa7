package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// keyOwners tells a request that is still running from one whose process died, in any
// number of API processes and without waiting: the request that owns an Idempotency-Key
// holds a PostgreSQL session advisory lock on it, taken on this process's owner connection.
// PostgreSQL drops a session's locks the moment its connection ends, so the keys of a
// killed process are free at once, and a request that can take a key's lock knows nobody
// is working on it. Within the process, held keeps two requests from sharing a key (a
// session may take its own lock again).
//
// One connection for the whole process, not one per request: requests holding pool
// connections while they need more for their work could exhaust the pool. The one
// weakness: if the owner connection breaks (the database restarts, the network drops it),
// its locks are gone while their requests may still run, and a retry arriving in that
// window could take a key over and run its request a second time. That needs the database
// connection to break in the middle of a request and a retry to race it; a retry after
// the first request stored its resource still finds that resource (createTx).
type keyOwners struct {
	pool *pgxpool.Pool

	mu   sync.Mutex
	conn *pgx.Conn // nil until the first key, and again after it broke
	held map[string]bool
}

// lockTimeout bounds a lock or unlock on the owner connection.
const lockTimeout = 5 * time.Second

func newKeyOwners(pool *pgxpool.Pool) *keyOwners {
	return &keyOwners{pool: pool, held: map[string]bool{}}
}

// acquire takes (scope, key) for the calling request. owned is false when a live request
// holds it; otherwise release gives it back.
func (o *keyOwners) acquire(ctx context.Context, scope, key string) (owned bool, release func(), err error) {
	name, lock := scope+"\x00"+key, lockNumber(scope, key)
	// Not the request's context: pgx closes a connection whose query is cancelled, and
	// with it every other request's lock, when a client merely hangs up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lockTimeout)
	defer cancel()
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.held[name] {
		return false, nil, nil
	}
	if o.conn == nil || o.conn.IsClosed() {
		if o.conn, err = o.connect(ctx); err != nil {
			return false, nil, err
		}
	}
	if err := o.conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", lock).Scan(&owned); err != nil {
		o.drop()
		return false, nil, mapErr(err)
	}
	if !owned {
		return false, nil, nil
	}
	o.held[name] = true
	conn := o.conn
	return true, func() { o.release(conn, name, lock) }, nil
}

// release unlocks a key. A lock taken on a connection that has since broken went with it.
func (o *keyOwners) release(conn *pgx.Conn, name string, lock int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.held, name)
	if conn != o.conn || conn.IsClosed() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), lockTimeout)
	defer cancel()
	if _, err := o.conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", lock); err != nil {
		// A lock that cannot be given back on a working session would keep its key from
		// ever being taken over; closing the session frees it, with every other key held.
		o.drop()
	}
}

// connect takes a connection of the pool's configuration out of the pool for good.
func (o *keyOwners) connect(ctx context.Context) (*pgx.Conn, error) {
	c, err := o.pool.Acquire(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return c.Hijack(), nil
}

func (o *keyOwners) drop() {
	if o.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = o.conn.Close(ctx)
		o.conn = nil
	}
}

func (o *keyOwners) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.drop()
}

// lockNumber is the advisory lock of a key: 64 bits of its hash. Two keys sharing one
// (improbable) only make one wait for the other; they never take each other over.
func lockNumber(scope, key string) int64 {
	sum := sha256.Sum256([]byte("idempotency\x00" + scope + "\x00" + key))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}
