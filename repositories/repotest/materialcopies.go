package repotest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/charterhq/charter/stories/quotes"
)

// NewMaterialCopies returns an empty store of quotes' material copies for
// one test. It registers its own cleanup with tb.
type NewMaterialCopies func(tb testing.TB) quotes.MaterialCopies

// MaterialCopies runs the quotes.MaterialCopies contract against the
// stores newStore returns; each subtest gets a fresh, empty one, and
// subtests run in parallel, so newStore must be safe to call
// concurrently.
func MaterialCopies(t *testing.T, newStore NewMaterialCopies) {
	tests := []struct {
		name string
		run  func(t *testing.T, r quotes.MaterialCopies)
	}{
		{"a kept copy reads back as it was kept", copyKeepAndRead},
		{"copies of materials never kept are absent", copyUnknownAbsent},
		{"a change delivered again is not kept again", copyRedelivered},
		{"a lower sequence after a higher one is not kept", copyOlderSequence},
		{"without sequences the later change wins", copyByTime},
		{"a deletion supersedes any change, and nothing after it is kept", copyDeletionFinal},
		{"every order of a material's changes leaves its last state", copyEveryOrder},
		{"clear removes every copy, and the changes can be kept again", copyClear},
		{"parallel changes of one material leave the latest", copyParallel},
		{"hostile strings are stored verbatim", copyHostileStrings},
		{"results are copies the caller may change", copyResultsAreCopies},
		{"a cancelled context is an error", copyCancelledContext},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

// copyEpoch is a fixed instant with nanoseconds, so that any loss of
// precision shows.
var copyEpoch = time.Date(2026, 11, 30, 3, 0, 0, 123456789, time.UTC)

// change is material id of company 7 at sequence, changed minutes after
// copyEpoch, priced 100 EUR more with every sequence.
func change(id, sequence int64, minutes int) quotes.MaterialCopy {
	return quotes.MaterialCopy{
		ID: id, CompanyID: 7, Name: fmt.Sprintf("Steel v%d", sequence), Thickness: 2.5, Active: sequence%2 == 1,
		Price:    &quotes.Money{Amount: 10000 + 100*sequence, Currency: "EUR"},
		Sequence: sequence, ChangedAt: copyEpoch.Add(time.Duration(minutes) * time.Minute),
	}
}

// deletion is the deletion of material id, minutes after copyEpoch.
func deletion(id int64, minutes int) quotes.MaterialCopy {
	return quotes.MaterialCopy{ID: id, CompanyID: 7, Deleted: true, ChangedAt: copyEpoch.Add(time.Duration(minutes) * time.Minute)}
}

func mustKeep(t *testing.T, r quotes.MaterialCopies, c quotes.MaterialCopy) bool {
	t.Helper()
	kept, err := r.Keep(context.Background(), c)
	if err != nil {
		t.Fatalf("Keep(%+v): %v", c, err)
	}
	return kept
}

func mustCopy(t *testing.T, r quotes.MaterialCopies, id int64) (quotes.MaterialCopy, bool) {
	t.Helper()
	got, err := r.Copies(context.Background(), []int64{id})
	if err != nil {
		t.Fatalf("Copies(%d): %v", id, err)
	}
	c, ok := got[id]
	return c, ok
}

// assertCopy checks that the copy of want.ID is want.
func assertCopy(t *testing.T, r quotes.MaterialCopies, want quotes.MaterialCopy) {
	t.Helper()
	got, ok := mustCopy(t, r, want.ID)
	if !ok {
		t.Fatalf("no copy of material %d, want %+v", want.ID, want)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("copy of material %d:\n got %+v (price %v)\nwant %+v (price %v)", want.ID, got, got.Price, want, want.Price)
	}
}

func copyKeepAndRead(t *testing.T, r quotes.MaterialCopies) {
	priced := change(1, 3, 0)
	unpriced := change(2, 1, 0)
	unpriced.Price = nil
	zero := change(3, 0, 0)
	zero.Price, zero.Thickness, zero.Active = &quotes.Money{Currency: "USD"}, 0.1, false
	// A time in another zone reads back as the same instant in UTC.
	zero.ChangedAt = copyEpoch.In(time.FixedZone("UTC+2", 2*3600))
	for _, c := range []quotes.MaterialCopy{priced, unpriced, zero} {
		if !mustKeep(t, r, c) {
			t.Errorf("Keep(%+v) of a first copy = false, want true", c)
		}
	}
	zero.ChangedAt = copyEpoch
	for _, want := range []quotes.MaterialCopy{priced, unpriced, zero} {
		assertCopy(t, r, want)
	}
	got, err := r.Copies(context.Background(), []int64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("Copies(1, 2, 3) has %d copies, want 3", len(got))
	}
}

func copyUnknownAbsent(t *testing.T, r quotes.MaterialCopies) {
	mustKeep(t, r, change(1, 1, 0))
	got, err := r.Copies(context.Background(), []int64{2, 1, 99})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[1]; !ok || len(got) != 1 {
		t.Errorf("Copies(2, 1, 99) = %v, want only material 1", got)
	}
	for _, ids := range [][]int64{nil, {}} {
		got, err := r.Copies(context.Background(), ids)
		if err != nil || len(got) != 0 || got == nil {
			t.Errorf("Copies(%v) = %v, %v; want an empty map", ids, got, err)
		}
	}
}

func copyRedelivered(t *testing.T, r quotes.MaterialCopies) {
	c := change(1, 2, 5)
	mustKeep(t, r, c)
	if mustKeep(t, r, c) {
		t.Error("Keep of the same change again = true, want false")
	}
	d := deletion(2, 5)
	mustKeep(t, r, d)
	if mustKeep(t, r, d) {
		t.Error("Keep of the same deletion again = true, want false")
	}
	assertCopy(t, r, c)
	assertCopy(t, r, d)
}

func copyOlderSequence(t *testing.T, r quotes.MaterialCopies) {
	newer := change(1, 3, 10)
	mustKeep(t, r, newer)
	older := change(1, 2, 20) // a later clock does not beat a sequence
	if mustKeep(t, r, older) {
		t.Error("Keep of sequence 2 over sequence 3 = true, want false")
	}
	assertCopy(t, r, newer)
	newest := change(1, 4, 0) // nor does an earlier one lose to it
	if !mustKeep(t, r, newest) {
		t.Error("Keep of sequence 4 over sequence 3 = false, want true")
	}
	assertCopy(t, r, newest)
}

func copyByTime(t *testing.T, r quotes.MaterialCopies) {
	later, earlier := change(1, 0, 10), change(1, 0, 5)
	mustKeep(t, r, later)
	if mustKeep(t, r, earlier) {
		t.Error("Keep of an earlier change without sequences = true, want false")
	}
	assertCopy(t, r, later)
	same := later
	same.Name = "another name at the same instant"
	if mustKeep(t, r, same) {
		t.Error("Keep of a change at the same instant = true, want false")
	}
	// One side without a sequence falls back to the time too.
	sequenced := change(1, 5, 15)
	if !mustKeep(t, r, sequenced) {
		t.Error("Keep of a later sequenced change over an unsequenced one = false, want true")
	}
	assertCopy(t, r, sequenced)
}

func copyDeletionFinal(t *testing.T, r quotes.MaterialCopies) {
	mustKeep(t, r, change(1, 2, 10))
	d := deletion(1, 0) // earlier by the clock: a deletion needs no order
	if !mustKeep(t, r, d) {
		t.Error("Keep of a deletion = false, want true")
	}
	for _, late := range []quotes.MaterialCopy{change(1, 1, 0), change(1, 3, 30), deletion(1, 40)} {
		if mustKeep(t, r, late) {
			t.Errorf("Keep(%+v) after the deletion = true, want false", late)
		}
	}
	assertCopy(t, r, d)

	// A deletion that arrives before the material's creation.
	d2 := deletion(2, 10)
	mustKeep(t, r, d2)
	if mustKeep(t, r, change(2, 1, 0)) {
		t.Error("Keep of a creation after its material's deletion = true, want false")
	}
	assertCopy(t, r, d2)
}

// copyEveryOrder keeps every permutation of two histories, each under a
// material of its own, one change of each delivered twice: the copy is
// the history's last state whatever the order.
func copyEveryOrder(t *testing.T, r quotes.MaterialCopies) {
	histories := []struct {
		name    string
		changes []quotes.MaterialCopy
	}{
		{"sequenced", []quotes.MaterialCopy{change(0, 1, 0), change(0, 2, 1), change(0, 3, 2), change(0, 2, 1)}},
		{"sequenced, then deleted", []quotes.MaterialCopy{change(0, 1, 0), change(0, 2, 1), deletion(0, 2), change(0, 1, 0)}},
		// Changes the producer's clock dated alike: the sequence alone
		// orders them.
		{"sequenced, at one instant", []quotes.MaterialCopy{change(0, 1, 0), change(0, 2, 0), change(0, 3, 0), change(0, 2, 0)}},
		{"by time", []quotes.MaterialCopy{change(0, 0, 0), change(0, 0, 1), change(0, 0, 2), change(0, 0, 2)}},
	}
	id := int64(0)
	for _, h := range histories {
		last := h.changes[len(h.changes)-2]
		for _, order := range permutations(len(h.changes)) {
			id++
			for _, i := range order {
				c := h.changes[i]
				c.ID = id
				mustKeep(t, r, c)
			}
			want := last
			want.ID = id
			got, _ := mustCopy(t, r, id)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, kept in the order %v: copy %+v, want %+v", h.name, order, got, want)
			}
		}
	}
}

// permutations returns every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

func copyClear(t *testing.T, r quotes.MaterialCopies) {
	mustKeep(t, r, change(1, 3, 0))
	mustKeep(t, r, deletion(2, 0))
	if err := r.Clear(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := r.Copies(context.Background(), []int64{1, 2})
	if err != nil || len(got) != 0 {
		t.Fatalf("Copies after Clear = %v, %v; want none", got, err)
	}
	// A replay from the start keeps the first changes again.
	for _, c := range []quotes.MaterialCopy{change(1, 1, 0), change(2, 1, 0)} {
		if !mustKeep(t, r, c) {
			t.Errorf("Keep(%+v) after Clear = false, want true", c)
		}
		assertCopy(t, r, c)
	}
}

func copyParallel(t *testing.T, r quotes.MaterialCopies) {
	const sequences = 12
	var wg sync.WaitGroup
	errs := make(chan error, sequences)
	for v := int64(sequences); v >= 1; v-- {
		wg.Go(func() {
			if _, err := r.Keep(context.Background(), change(1, v, int(v))); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assertCopy(t, r, change(1, sequences, sequences))
}

func copyHostileStrings(t *testing.T, r quotes.MaterialCopies) {
	for i, name := range []string{"'; DROP TABLE material_copies; --", `$1 ? :name @p1`, "名前 ✓ сталь", "tab\tnew\nline\r", `"quoted" \ back`, ""} {
		c := change(int64(i+1), 1, 0)
		c.Name = name
		mustKeep(t, r, c)
		assertCopy(t, r, c)
	}
}

func copyResultsAreCopies(t *testing.T, r quotes.MaterialCopies) {
	c := change(1, 1, 0)
	mustKeep(t, r, c)
	c.Price.Amount = 1 // the caller's own value, changed after Keep
	got, _ := mustCopy(t, r, 1)
	got.Price.Amount = 2
	again, _ := mustCopy(t, r, 1)
	if again.Price.Amount != change(1, 1, 0).Price.Amount {
		t.Errorf("stored price %d changed with a caller's copy", again.Price.Amount)
	}
}

func copyCancelledContext(t *testing.T, r quotes.MaterialCopies) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Keep(ctx, change(1, 1, 0)); err == nil {
		t.Error("Keep with a cancelled context: no error")
	}
	if _, err := r.Copies(ctx, []int64{1}); err == nil {
		t.Error("Copies with a cancelled context: no error")
	}
	if err := r.Clear(ctx); err == nil {
		t.Error("Clear with a cancelled context: no error")
	}
}
