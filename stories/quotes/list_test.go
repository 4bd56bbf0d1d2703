package quotes_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/quotes"
)

// listQuotes is an injector of the tests: the list story over repo, with
// the named permission filter.
func listQuotes(t *testing.T, repo *memory.Quotes, injector string) *quotes.ListQuotes {
	t.Helper()
	l, err := quotes.NewListQuotes(quotes.ListQuotesDeps{
		FilterOnPermissions: filters[injector],
		Count:               repo.Count,
		Find:                repo.Find,
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListQuotes(t *testing.T) {
	repo := seeded(t)
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		in       quotes.ListInput
		want     error
		ids      []int64
		count    int64
	}{
		{name: "staff see every company's quotes", injector: "staff", caller: staff,
			ids: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}, count: 9},
		{name: "an external caller sees only its company's quotes", injector: "external", caller: acme,
			ids: []int64{1, 2, 3, 4, 7, 9}, count: 6},
		{name: "another external caller sees only its own", injector: "external", caller: globex,
			ids: []int64{5, 6, 8}, count: 3},
		{name: "a company without quotes gets an empty page", injector: "external", caller: initech,
			ids: []int64{}, count: 0},
		{name: "submitted quotes only", injector: "staff", caller: staff, in: quotes.ListInput{State: quotes.Submitted},
			ids: []int64{3, 4, 6}, count: 3},
		{name: "drafts of the caller's company only", injector: "external", caller: acme, in: quotes.ListInput{State: quotes.Draft},
			ids: []int64{1, 2}, count: 2},
		{name: "a state that does not exist matches nothing", injector: "staff", caller: staff, in: quotes.ListInput{State: "bogus"},
			ids: []int64{}, count: 0},
		{name: "ordered by state name, ties by ID", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "state"},
			ids: []int64{7, 1, 2, 5, 9, 8, 3, 4, 6}, count: 9},
		{name: "ordered by state name descending, ties still by ascending ID", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "-state"},
			ids: []int64{3, 4, 6, 8, 9, 1, 2, 5, 7}, count: 9},
		{name: "ordered by last change, oldest first", injector: "external", caller: acme, in: quotes.ListInput{Ordering: "updated_at"},
			ids: []int64{9, 7, 4, 3, 2, 1}, count: 6},
		{name: "ordered by last change, newest first", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "-updated_at"},
			ids: []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}, count: 9},
		{name: "ordered by creation, newest first", injector: "external", caller: globex, in: quotes.ListInput{Ordering: "-created_at"},
			ids: []int64{8, 6, 5}, count: 3},
		{name: "ordered by ID, descending", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "-id"},
			ids: []int64{9, 8, 7, 6, 5, 4, 3, 2, 1}, count: 9},
		{name: "a page in the middle, counted in full", injector: "staff", caller: staff,
			in: quotes.ListInput{Limit: 2, Offset: 1, Ordering: "state"}, ids: []int64{1, 2}, count: 9},
		{name: "the last page is short", injector: "staff", caller: staff,
			in: quotes.ListInput{Limit: 4, Offset: 8}, ids: []int64{9}, count: 9},
		{name: "filter, order and page together", injector: "external", caller: acme,
			in: quotes.ListInput{Limit: 1, Offset: 1, Ordering: "-created_at", State: quotes.Submitted}, ids: []int64{3}, count: 2},
		{name: "a page past the end is empty but counted", injector: "staff", caller: staff,
			in: quotes.ListInput{Offset: 9}, ids: []int64{}, count: 9},
		{name: "a negative offset starts at the beginning", injector: "staff", caller: staff,
			in: quotes.ListInput{Limit: 1, Offset: -3}, ids: []int64{1}, count: 9},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody, want: quotes.ErrForbidden},
		{name: "a caller with no role is forbidden from the external list too", injector: "external", caller: nobody, want: quotes.ErrForbidden},
		{name: "an external caller is forbidden the staff list", injector: "staff", caller: acme, want: quotes.ErrForbidden},
		{name: "staff without a company are forbidden the external list", injector: "external", caller: staff, want: quotes.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless, want: quotes.ErrForbidden},
		{name: "an unknown field is no ordering", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "total"}, want: quotes.ErrInvalidOrdering},
		{name: "a column that is not sortable is no ordering", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "company_id"}, want: quotes.ErrInvalidOrdering},
		{name: "an injection attempt is no ordering", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "state;DROP TABLE quotes"}, want: quotes.ErrInvalidOrdering},
		{name: "two minus signs are no ordering", injector: "staff", caller: staff, in: quotes.ListInput{Ordering: "--state"}, want: quotes.ErrInvalidOrdering},
		{name: "a bad ordering is refused even when nothing matches", injector: "external", caller: initech, in: quotes.ListInput{Ordering: "State"}, want: quotes.ErrInvalidOrdering},
		{name: "a bad ordering is refused even past the end", injector: "staff", caller: staff, in: quotes.ListInput{Offset: 99, Ordering: "-"}, want: quotes.ErrInvalidOrdering},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := listQuotes(t, repo, tc.injector).Run(context.Background(), tc.caller, tc.in)
			seen.check(t, err, tc.want)
			if tc.want != nil {
				return
			}
			if got, want := ids(page.Items), tc.ids; !slices.Equal(got, want) {
				t.Errorf("items %v, want %v", got, want)
			}
			if got, want := page.Count, tc.count; got != want {
				t.Errorf("Count = %d, want %d", got, want)
			}
			if page.Items == nil {
				t.Error("Items is nil, want an empty page")
			}
		})
	}
	seen.all(t, listQuotes(t, repo, "staff").Failures())

	t.Run("listed quotes carry their lines", func(t *testing.T) {
		page, err := listQuotes(t, repo, "external").Run(context.Background(), acme, quotes.ListInput{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := page.Items[0].Lines, get(t, repo, 1).Lines; len(got) != 2 || !slices.Equal(got, want) {
			t.Errorf("lines %+v, want %+v", got, want)
		}
		if page.Items[1].Lines == nil || len(page.Items[1].Lines) != 0 {
			t.Errorf("lines of a draft without lines = %#v, want empty", page.Items[1].Lines)
		}
	})
}

func TestListQuotesPage(t *testing.T) {
	repo := memory.NewQuotes()
	for range quotes.MaxLimit + 5 {
		if _, err := repo.Create(context.Background(), quotes.Quote{CompanyID: 1, State: quotes.Draft, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	l := listQuotes(t, repo, "staff")
	for _, tc := range []struct {
		name       string
		in         quotes.ListInput
		limit, len int
		offset     int
	}{
		{name: "no limit gives the default page", limit: quotes.DefaultLimit, len: quotes.DefaultLimit},
		{name: "a negative limit gives the default page", in: quotes.ListInput{Limit: -1}, limit: quotes.DefaultLimit, len: quotes.DefaultLimit},
		{name: "a limit above the maximum is capped", in: quotes.ListInput{Limit: 1000}, limit: quotes.MaxLimit, len: quotes.MaxLimit},
		{name: "the page says where it starts", in: quotes.ListInput{Limit: 10, Offset: 100}, limit: 10, offset: 100, len: 5},
		{name: "a negative offset is reported as zero", in: quotes.ListInput{Limit: 3, Offset: -1}, limit: 3, len: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page, err := l.Run(context.Background(), staff, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := page.Limit, tc.limit; got != want {
				t.Errorf("Limit = %d, want %d", got, want)
			}
			if got, want := page.Offset, tc.offset; got != want {
				t.Errorf("Offset = %d, want %d", got, want)
			}
			if got, want := len(page.Items), tc.len; got != want {
				t.Errorf("%d items, want %d", got, want)
			}
			if got, want := page.Count, int64(quotes.MaxLimit+5); got != want {
				t.Errorf("Count = %d, want %d", got, want)
			}
		})
	}
}

func TestListQuotesEarlyResult(t *testing.T) {
	repo := seeded(t)
	var finds int
	l, err := quotes.NewListQuotes(quotes.ListQuotesDeps{
		FilterOnPermissions: quotes.CompanyAccess,
		Count:               repo.Count,
		Find: func(ctx context.Context, q quotes.Query) ([]quotes.Quote, error) {
			finds++
			return repo.Find(ctx, q)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		caller access.Caller
		in     quotes.ListInput
		finds  int
		count  int64
	}{
		{"a page past the last match is answered without fetching", acme, quotes.ListInput{Limit: 10, Offset: 6}, 0, 6},
		{"a company without quotes is answered without fetching", initech, quotes.ListInput{}, 0, 0},
		{"a page with matches is fetched once", acme, quotes.ListInput{Offset: 5}, 1, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			finds = 0
			page, err := l.Run(context.Background(), tc.caller, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if finds != tc.finds {
				t.Errorf("Find ran %d times, want %d", finds, tc.finds)
			}
			if page.Count != tc.count || page.Items == nil {
				t.Errorf("page %+v, want a count of %d and items not nil", page, tc.count)
			}
		})
	}
}

func TestListQuotesInternalErrors(t *testing.T) {
	broken := errors.New("connection reset")
	repo := seeded(t)
	for _, tc := range []struct {
		name string
		deps quotes.ListQuotesDeps
		step string
	}{
		{"a failing count is internal", quotes.ListQuotesDeps{
			FilterOnPermissions: quotes.StaffAccess,
			Count:               func(context.Context, quotes.Filter) (int64, error) { return 0, broken },
			Find:                repo.Find,
		}, "get count"},
		{"a failing fetch is internal", quotes.ListQuotesDeps{
			FilterOnPermissions: quotes.StaffAccess,
			Count:               repo.Count,
			Find:                func(context.Context, quotes.Query) ([]quotes.Quote, error) { return nil, broken },
		}, "fetch the page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := quotes.NewListQuotes(tc.deps)
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Run(context.Background(), staff, quotes.ListInput{})
			internal(t, err, tc.step)
			if !errors.Is(err, broken) {
				t.Errorf("err = %v, want it to wrap %v", err, broken)
			}
		})
	}

	t.Run("a cancelled request stops the story", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := listQuotes(t, repo, "staff").Run(ctx, staff, quotes.ListInput{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		internal(t, err, "start from every quote")
	})
}

func TestListQuotesWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := quotes.NewListQuotes(quotes.ListQuotesDeps{Count: memory.NewQuotes().Count})
		if err == nil {
			t.Fatal("NewListQuotes accepted missing dependencies")
		}
		if got, want := err.Error(), "story ListQuotes: missing dependencies: FilterOnPermissions, Find"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("the steps are the list process, in order", func(t *testing.T) {
		got := strings.Join(steps(listQuotes(t, memory.NewQuotes(), "staff").Describe()), ", ")
		want := "start from every quote, filter on permissions, filter on state, get count, apply order by, apply limit offset, fetch the page"
		if got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})

	t.Run("the two injectors differ only in the permission filter", func(t *testing.T) {
		repo := memory.NewQuotes()
		staffDeps := listQuotes(t, repo, "staff").Describe().Dependencies
		externalDeps := listQuotes(t, repo, "external").Describe().Dependencies
		if len(staffDeps) != 3 || len(externalDeps) != 3 {
			t.Fatalf("dependencies %v and %v, want three each", staffDeps, externalDeps)
		}
		for i := range staffDeps {
			differ := staffDeps[i] != externalDeps[i]
			if got, want := differ, staffDeps[i].Field == "FilterOnPermissions"; got != want {
				t.Errorf("%s: %q vs %q", staffDeps[i].Field, staffDeps[i].Implementation, externalDeps[i].Implementation)
			}
		}
		const pkg = "github.com/charterhq/charter/stories/quotes."
		if got, want := staffDeps[0].Implementation, pkg+"StaffAccess"; got != want {
			t.Errorf("staff filter %q, want %q", got, want)
		}
		if got, want := externalDeps[0].Implementation, pkg+"CompanyAccess"; got != want {
			t.Errorf("external filter %q, want %q", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := listQuotes(t, memory.NewQuotes(), "staff").Failures()
		if want := []error{quotes.ErrForbidden, quotes.ErrInvalidOrdering}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})
}
