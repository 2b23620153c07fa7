// Package banksim is a simulated bank: the one party subsidyflow does not run for real. It
// keeps its books in PostgreSQL (schema banksim, apart from ours, as another system would),
// settles payments some time after accepting them, and fails in the ways real banks fail, so
// that the payment workflow's retry and ambiguity handling is exercised for real.
//
// # Test accounts
//
// Like a payment sandbox, the simulator reacts to the payee's account number:
//
//   - ending 0000: the account is closed. Pay records the payment as failed and returns a
//     Permanent ACCOUNT_CLOSED error; Status shows the failed payment.
//   - ending 7777: the account name does not match. As 0000, with NAME_MISMATCH.
//   - ending 9999: the first Pay call for a key records and accepts the payment (the money
//     does go out) but answers with an Ambiguous TIMEOUT error; later calls with that key
//     return the receipt.
//   - ending 8888: the first two Pay calls for a key return Transient SERVICE_UNAVAILABLE
//     errors and record nothing; the third call is accepted.
//   - any other account: accepted, settled after Options.SettleDelay.
//
// Tests can also script failures for any account with Inject.
package banksim

import (
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/subsidyflow/subsidyflow/bank"
)

// DefaultSettleDelay is how long an accepted payment waits before it settles when
// Options.SettleDelay is zero: long enough that the workflow really sees Accepted first.
const DefaultSettleDelay = 2 * time.Second

// Options tune the simulator; the zero value is a sensible bank.
type Options struct {
	// SettleDelay is the time between accepting and settling a payment (zero: 2s).
	SettleDelay time.Duration
	// Now is the bank's clock (nil: time.Now); tests move it to settle without sleeping.
	Now func() time.Time
	// Logger receives the errors Run cannot return (nil: slog.Default()).
	Logger *slog.Logger
}

// Sim is the simulated bank. It implements bank.Bank; it is safe for concurrent use, also
// from several processes sharing the database (the injected scripts are per process).
type Sim struct {
	pool  *pgxpool.Pool
	opts  Options
	mu    sync.Mutex
	queue map[string][]bank.Kind // account number → injected outcomes, next first
}

var _ bank.Bank = (*Sim)(nil)

// New returns a simulator keeping its books through pool. Run Migrate once first. The pool
// needs no type registration: amounts travel as text.
func New(pool *pgxpool.Pool, opts Options) *Sim {
	if opts.SettleDelay <= 0 {
		opts.SettleDelay = DefaultSettleDelay
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Sim{pool: pool, opts: opts, queue: map[string][]bank.Kind{}}
}

// Inject scripts the outcome of the next Pay calls to accountNumber, one Kind per call, in
// order, ahead of the test-account rules:
//
//   - Transient: the call fails with SERVICE_UNAVAILABLE before the bank does anything;
//   - Ambiguous: the call is processed as usual, then its answer is lost (TIMEOUT);
//   - Permanent: a new payment is refused with NAME_MISMATCH and recorded as failed
//     (a key already recorded still answers as recorded, as idempotency demands).
func (s *Sim) Inject(accountNumber string, script ...bank.Kind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue[accountNumber] = append(s.queue[accountNumber], script...)
}

// plan is what the bank will do with one Pay call.
type plan struct {
	transient  bool   // refuse before recording anything
	failCode   string // record a new payment as failed with this code
	failText   string
	loseAnswer bool // process, then answer with a timeout
}

// planFor decides the outcome of the call-th Pay call for a key paying accountNumber.
func (s *Sim) planFor(accountNumber string, call int) plan {
	if k, ok := s.nextInjected(accountNumber); ok {
		switch k {
		case bank.Transient:
			return plan{transient: true}
		case bank.Ambiguous:
			return plan{loseAnswer: true}
		default:
			return nameMismatch
		}
	}
	switch {
	case strings.HasSuffix(accountNumber, "0000"):
		return plan{failCode: bank.CodeAccountClosed, failText: "the payee's account is closed"}
	case strings.HasSuffix(accountNumber, "7777"):
		return nameMismatch
	case strings.HasSuffix(accountNumber, "9999"):
		return plan{loseAnswer: call == 1}
	case strings.HasSuffix(accountNumber, "8888"):
		return plan{transient: call <= 2}
	}
	return plan{}
}

var nameMismatch = plan{failCode: bank.CodeNameMismatch,
	failText: "the account name does not match the account number"}

func (s *Sim) nextInjected(accountNumber string) (bank.Kind, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue[accountNumber]
	if len(q) == 0 {
		return "", false
	}
	if len(q) == 1 {
		delete(s.queue, accountNumber)
	} else {
		s.queue[accountNumber] = q[1:]
	}
	return q[0], true
}

// now is the bank's clock at the database's precision, so that what is stored reads back
// equal.
func (s *Sim) now() time.Time {
	return s.opts.Now().UTC().Truncate(time.Microsecond)
}
