package sqlstore

import "fmt"

// MigrateStep runs step i (0-based) of a migration list of n steps inside
// the caller's transaction: it reads the stored version, refuses a
// database written by a newer build, skips a step already applied (another
// process may have run it while this one waited for the lock), and
// otherwise runs the step and records version i+1. Committing is the
// caller's.
func MigrateStep(i, n int, version func() (int, error), run func() error, record func(version int) error) error {
	v, err := version()
	if err != nil {
		return err
	}
	if v > n {
		return fmt.Errorf("database schema version %d is newer than this build's %d", v, n)
	}
	if v > i {
		return nil
	}
	if err := run(); err != nil {
		return err
	}
	return record(i + 1)
}
