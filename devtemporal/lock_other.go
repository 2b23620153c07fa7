//go:build !unix

package devtemporal

// fileLock is a no-op where flock(2) is unavailable; running two servers on one file is then
// the developer's responsibility.
type fileLock struct{}

func lockFile(string) (*fileLock, error) { return nil, nil }

func (l *fileLock) release() {}
