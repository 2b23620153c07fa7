// Package e2e holds end-to-end tests: subsidyflow booted whole (PostgreSQL, embedded Temporal
// server, worker, simulated bank, HTTP API) and driven over HTTP, plus the crash-and-restart
// test of `subsidyflow dev` and the recorder of workflow histories for the replay tests.
package e2e
