package devtemporal_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/subsidyflow/subsidyflow/devtemporal"
)

const (
	taskQueue      = "devtemporal-test"
	approveSignal  = "approve"
	increaseUpdate = "increase"
)

// greet is the smallest workflow that needs history, matching and a worker round trip.
func greet(_ workflow.Context, name string) (string, error) {
	return "hello " + name, nil
}

// awaitApproval blocks on a signal, so it has to outlive a server restart to finish.
func awaitApproval(ctx workflow.Context) (string, error) {
	var approver string
	workflow.GetSignalChannel(ctx, approveSignal).Receive(ctx, &approver)
	return "approved by " + approver, nil
}

// counter takes Updates until one brings it to the target, then returns the total. Updates
// are how our human decisions arrive, so the dev server must accept them.
func counter(ctx workflow.Context, target int) (int, error) {
	total := 0
	err := workflow.SetUpdateHandlerWithOptions(ctx, increaseUpdate,
		func(_ workflow.Context, by int) (int, error) {
			total += by
			return total, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(_ workflow.Context, by int) error {
			if by <= 0 {
				return errors.New("increase must be positive")
			}
			return nil
		}},
	)
	if err != nil {
		return 0, err
	}
	if err := workflow.Await(ctx, func() bool { return total >= target }); err != nil {
		return 0, err
	}
	return total, nil
}

func startServer(t *testing.T, cfg devtemporal.Config) *devtemporal.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	began := time.Now()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))
	}
	srv, err := devtemporal.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("server ready at %s in %s", srv.HostPort(), time.Since(began).Round(time.Millisecond))
	return srv
}

// startWorker dials the server and runs a worker with our test workflows. Stopping happens in
// the returned function so callers can stop it before the server (the order production uses).
func startWorker(t *testing.T, srv *devtemporal.Server) (client.Client, func()) {
	t.Helper()
	c, err := srv.NewClient(context.Background(), client.Options{})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	w := worker.New(c, taskQueue, worker.Options{})
	w.RegisterWorkflow(greet)
	w.RegisterWorkflow(awaitApproval)
	w.RegisterWorkflow(counter)
	if err := w.Start(); err != nil {
		c.Close()
		t.Fatalf("worker start: %v", err)
	}
	return c, func() { w.Stop(); c.Close() }
}

func TestEphemeralServerRunsWorkflows(t *testing.T) {
	srv := startServer(t, devtemporal.Config{})
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	if srv.Namespace() != "default" {
		t.Fatalf("namespace = %q, want default", srv.Namespace())
	}
	c, stop := startWorker(t, srv)
	t.Cleanup(stop)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("workflow returns", func(t *testing.T) {
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: taskQueue}, greet, "world")
		if err != nil {
			t.Fatalf("ExecuteWorkflow: %v", err)
		}
		var got string
		if err := run.Get(ctx, &got); err != nil {
			t.Fatalf("result: %v", err)
		}
		if got != "hello world" {
			t.Fatalf("result = %q, want %q", got, "hello world")
		}
	})

	t.Run("updates are accepted and validated", func(t *testing.T) {
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: taskQueue}, counter, 5)
		if err != nil {
			t.Fatalf("ExecuteWorkflow: %v", err)
		}
		update := func(by int) (int, error) {
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: run.GetID(), UpdateName: increaseUpdate, Args: []any{by},
				WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			if err != nil {
				return 0, err
			}
			var total int
			err = h.Get(ctx, &total)
			return total, err
		}
		if _, err := update(-1); err == nil {
			t.Fatal("negative increase accepted, want validator refusal")
		}
		if total, err := update(5); err != nil || total != 5 {
			t.Fatalf("update = %d, %v; want 5, nil", total, err)
		}
		var got int
		if err := run.Get(ctx, &got); err != nil || got != 5 {
			t.Fatalf("result = %d, %v; want 5, nil", got, err)
		}
	})
}

// TestRunningWorkflowSurvivesRestart starts a workflow that waits for a signal, stops the
// server, and finishes the workflow in a fresh process on the same database file. The second
// half runs in a child process on purpose: inside one process the SQLite plugin reuses its
// still-open connection, so only a new process proves the state is on disk.
func TestRunningWorkflowSurvivesRestart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "nested", "temporal.db")
	srv := startServer(t, devtemporal.Config{DatabasePath: dbPath})
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			_ = srv.Stop()
		}
	})

	// The pragmas reach SQLite: a write-ahead log exists beside the database.
	if _, err := os.Stat(dbPath + "-wal"); err != nil {
		t.Errorf("no write-ahead log beside the database (journal_mode=wal not applied?): %v", err)
	}
	_, err := devtemporal.Start(context.Background(), devtemporal.Config{DatabasePath: dbPath})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second server on the same file: err = %v, want an 'in use' error", err)
	}

	c, stopWorker := startWorker(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "restart-1", TaskQueue: taskQueue}, awaitApproval)
	if err != nil {
		t.Fatalf("ExecuteWorkflow: %v", err)
	}
	waitForWorkflowTask(ctx, t, c, run.GetID())
	stopWorker()
	if err := srv.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true

	began := time.Now()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestRestartHelper$", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"="+dbPath)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("restarted server (child process) failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "result: approved by lead") {
		t.Fatalf("child output lacks the workflow result:\n%s", out)
	}
	t.Logf("restart, signal and completion in a new process took %s", time.Since(began).Round(time.Millisecond))

	// Restarting inside this process works too, and sees what the child wrote.
	srv = startServer(t, devtemporal.Config{DatabasePath: dbPath})
	stopped = false
	c, err = srv.NewClient(ctx, client.Options{})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.Close()
	desc, err := c.DescribeWorkflowExecution(ctx, "restart-1", "")
	if err != nil {
		t.Fatalf("describe after second restart: %v", err)
	}
	if st := desc.GetWorkflowExecutionInfo().GetStatus(); st != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
		t.Fatalf("status after second restart = %v, want completed", st)
	}
}

// waitForWorkflowTask returns once a worker has run the workflow's first task, so the restart
// has to resume a workflow that really was in progress, not merely queued.
func waitForWorkflowTask(ctx context.Context, t *testing.T, c client.Client, id string) {
	t.Helper()
	for {
		it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history: %v", err)
			}
			if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("workflow %s never ran its first task", id)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// A busy fixed port or a host name must come back as errors: the server itself would end the
// process on a failed bind.
func TestStartRefusesWhatTheServerWouldDieOn(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	for name, cfg := range map[string]devtemporal.Config{
		"frontend port in use": {FrontendPort: port},
		"host is a name":       {Host: "localhost"},
	} {
		t.Run(name, func(t *testing.T) {
			if srv, err := devtemporal.Start(context.Background(), cfg); err == nil {
				_ = srv.Stop()
				t.Fatal("Start succeeded, want an error")
			}
		})
	}
}

const helperEnv = "DEVTEMPORAL_RESTART_DB"

// TestRestartHelper is the child half of TestRunningWorkflowSurvivesRestart; it does nothing
// in a normal test run.
func TestRestartHelper(t *testing.T) {
	dbPath := os.Getenv(helperEnv)
	if dbPath == "" {
		t.Skip("runs only as the child process of TestRunningWorkflowSurvivesRestart")
	}
	srv := startServer(t, devtemporal.Config{DatabasePath: dbPath})
	defer func() { _ = srv.Stop() }()
	c, stopWorker := startWorker(t, srv)
	defer stopWorker()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.SignalWorkflow(ctx, "restart-1", "", approveSignal, "lead"); err != nil {
		t.Fatalf("signal after restart: %v", err)
	}
	t.Logf("signalled")
	var got string
	if err := c.GetWorkflow(ctx, "restart-1", "").Get(ctx, &got); err != nil {
		t.Fatalf("result after restart: %v", err)
	}
	t.Logf("result: %s", got)
}
