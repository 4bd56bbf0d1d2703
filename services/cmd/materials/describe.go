package main

import (
	"fmt"
	"io"
	"time"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/services/materials"
)

// describe prints every wired story as it describes itself: its steps,
// its failures and what fills each dependency.
func describe(w io.Writer) error {
	wiring, err := materials.Wire(memory.NewMaterials(), time.Now)
	if err != nil {
		return err
	}
	for _, d := range wiring.Describe() {
		fmt.Fprintln(w, d.String())
	}
	return nil
}
