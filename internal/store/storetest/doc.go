// Package storetest is the conformance suite for store.Store. Every
// implementation runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... a fresh, empty store ... })
//	}
//
// The suite brings its own small Merger (same event type, same location
// name, dates within the window), so it does not depend on the dedupe
// package, and its fixtures are short reports written for it.
package storetest
