//go:build !race

package edge_test

// raceDetector is off: allocation counts are exact.
const raceDetector = false
