//go:build !crashpoint

package crashpoint

// Hit does nothing: this binary was built without the crash test hook.
func Hit(string) {}
