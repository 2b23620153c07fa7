package worker

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/pgtest"
)

// A storage step whose data PostgreSQL refuses (here a NUL byte in a text, SQLSTATE 22021,
// the finding that wedged a claim) fails for good with a typed error; a step that fails
// for another reason (the database is gone) stays retryable.
func TestDataRefusedByPostgresIsNotRetried(t *testing.T) {
	url := pgtest.NewDatabase(t, "dataerr")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.SetWorkerOptions(sdkworker.Options{Interceptors: []interceptor.WorkerInterceptor{&dataErrors{}}})
	env.RegisterActivityWithOptions(func(ctx context.Context, note string) error {
		_, err := conn.Exec(ctx, "SELECT $1::text", note)
		return err
	}, activity.RegisterOptions{Name: "WriteNote"})
	env.RegisterActivityWithOptions(func(ctx context.Context) error {
		return errors.New("connection refused")
	}, activity.RegisterOptions{Name: "Unreachable"})

	if _, err := env.ExecuteActivity("WriteNote", "a b"); err != nil {
		t.Fatalf("a clean note: %v", err)
	}
	_, err = env.ExecuteActivity("WriteNote", "a\x00b")
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != activities.ErrTypeDataRefused || !ae.NonRetryable() {
		t.Fatalf("got %v, want a non-retryable %s", err, activities.ErrTypeDataRefused)
	}
	_, err = env.ExecuteActivity("Unreachable")
	if errors.As(err, &ae) && ae.NonRetryable() {
		t.Fatalf("an outage must stay retryable: %v", err)
	}
}
