// Package crashpoint lets crash tests kill the process at a named point, such as between
// storing a claim and answering the request that filed it. It is a test hook: the points
// do nothing unless the binary is built with the build tag "crashpoint" (never done for a
// release; see crashpoint_on.go), and even then only the point named by the environment
// variable SUBSIDYFLOW_CRASH_AT fires.
package crashpoint

// EnvVar names the point at which a binary built with the crashpoint tag kills itself.
const EnvVar = "SUBSIDYFLOW_CRASH_AT"

// AfterCreate is right after a creating request's transaction committed (the resource and
// the Idempotency-Key's record of it are stored) and before anything else happens: no
// workflow started, no answer sent.
const AfterCreate = "after-create"
