package worker

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/subsidyflow/subsidyflow/activities"
	"github.com/subsidyflow/subsidyflow/store"
)

// dataErrors stops the retries of an activity that PostgreSQL refused for its data. Storage
// steps retry without limit, which is right for a database that is down and wrong for a
// value it will never accept: such a step would be retried for ever while the claim it
// belongs to waits with its money reserved and its decisions unanswered. Failing for good
// with a typed error puts the refusal in the workflow's hands and the history.
type dataErrors struct {
	interceptor.WorkerInterceptorBase
}

func (*dataErrors) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &dataErrorsInbound{}
	i.Next = next
	return i
}

type dataErrorsInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (i *dataErrorsInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := i.Next.ExecuteActivity(ctx, in)
	return res, nonRetryableDataError(err)
}

// nonRetryableDataError turns a data refusal by PostgreSQL into a non-retryable application
// error of type activities.ErrTypeDataRefused; any other error is returned unchanged.
func nonRetryableDataError(err error) error {
	code, msg, ok := store.DataError(err)
	if !ok {
		return err
	}
	var ae *temporal.ApplicationError
	if errors.As(err, &ae) && ae.NonRetryable() {
		return err
	}
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("the database refused the data (SQLSTATE %s): %s", code, msg), activities.ErrTypeDataRefused, err)
}
