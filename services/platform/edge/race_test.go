//go:build race

package edge_test

// raceDetector is on: sync.Pool then drops objects at random, so a pooled
// object is sometimes allocated again.
const raceDetector = true
