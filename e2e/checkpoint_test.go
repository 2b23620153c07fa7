package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/subsidyflow/subsidyflow/apptest"
	"github.com/subsidyflow/subsidyflow/checkpoint"
)

// Security finding "the audit chain can be rewritten with the application's own
// credentials": with the owner's rights, cutting rows off the end of the log and rewinding
// its head passed verification. Now the head is signed at intervals with a key the database
// never sees; verification checks the chain against the checkpoints and the rewound log fails.
func TestRewoundAuditLogFailsAgainstSignedCheckpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := apptest.Start(t)
	e.FreightProgram(t, "1000.00")
	e.Enterprise(t, e.CreditCode, "6222000011112020")

	// Signing is for admins; auditors change nothing, others see nothing.
	require.Equal(t, 403, e.Do(t, "POST", "/v1/audit/checkpoints", "auditor", nil).Status)
	require.Equal(t, 403, e.Do(t, "GET", "/v1/audit/checkpoints", "applicant", nil).Status)
	require.Equal(t, 403, e.Do(t, "POST", "/v1/audit/checkpoints", "officer", nil).Status)
	cp := e.Do(t, "POST", "/v1/audit/checkpoints", "admin", nil)
	require.Equal(t, 200, cp.Status, "%s", cp.Body)
	signed := int64(cp.JSON["seq"].(float64))
	require.GreaterOrEqual(t, signed, int64(2))

	// An auditor takes the checkpoints and the public key away and checks the signatures
	// with nothing else.
	list := e.Do(t, "GET", "/v1/audit/checkpoints", "auditor", nil)
	require.Equal(t, 200, list.Status, "%s", list.Body)
	pub, err := checkpoint.ParsePublicKey(list.JSON["public_key"].(string))
	require.NoError(t, err)
	cps := list.JSON["checkpoints"].([]any)
	require.Len(t, cps, 1)
	got := cps[0].(map[string]any)
	at, err := time.Parse(time.RFC3339Nano, got["at"].(string))
	require.NoError(t, err)
	c := checkpoint.Checkpoint{Seq: int64(got["seq"].(float64)), Hash: got["hash"].(string), At: at,
		Signature: got["signature"].(string)}
	require.True(t, c.Valid(pub), "the checkpoint does not verify with the published key")
	c.Seq--
	require.False(t, c.Valid(pub), "a signature must cover the seq")

	v := e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, true, v.JSON["ok"], "%s", v.Body)
	require.Equal(t, float64(signed), v.JSON["checkpoint_seq"])

	// The attacker holds the owner's rights: cut the last row, rewind the head to match.
	owner, err := pgx.Connect(ctx, e.DatabaseURL)
	require.NoError(t, err)
	defer owner.Close(ctx)
	for _, sql := range []string{
		"ALTER TABLE audit_log DISABLE TRIGGER USER",
		"DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
		`UPDATE audit_head SET last_seq = l.seq, last_hash = l.hash
			FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l`,
	} {
		_, err := owner.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}

	v = e.Do(t, "GET", "/v1/audit/verify", "auditor", nil)
	require.Equal(t, 200, v.Status, "%s", v.Body)
	require.Equal(t, false, v.JSON["ok"], "%s", v.Body)
	require.Equal(t, "checkpoint", v.JSON["check"])
	require.Equal(t, float64(signed), v.JSON["first_broken_seq"])
	require.Contains(t, v.JSON["reason"], "removed from the end")

	// Nor does the keeper sign the rewound head.
	again := e.Do(t, "POST", "/v1/audit/checkpoints", "admin", nil)
	require.Equal(t, 409, again.Status, "%s", again.Body)
}
