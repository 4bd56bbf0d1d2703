package materials_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/stories/access"
	"github.com/charterhq/charter/stories/materials"
)

// listMaterials is an injector of the tests: the list story over repo,
// with the named permission filter.
func listMaterials(t *testing.T, repo *memory.Materials, injector string) *materials.ListMaterials {
	t.Helper()
	l, err := materials.NewListMaterials(materials.ListMaterialsDeps{
		FilterOnPermissions: filters[injector],
		Count:               repo.Count,
		Find:                repo.Find,
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListMaterials(t *testing.T) {
	repo := seeded(t)
	seen := reasons{}
	for _, tc := range []struct {
		name     string
		injector string
		caller   access.Caller
		in       materials.ListInput
		want     error
		ids      []int64
		count    int64
	}{
		{name: "staff see every company's materials", injector: "staff", caller: staff,
			ids: []int64{1, 2, 3, 4, 5}, count: 5},
		{name: "an external caller sees only its company's materials", injector: "external", caller: acme,
			ids: []int64{1, 2, 3}, count: 3},
		{name: "another external caller sees only its own", injector: "external", caller: globex,
			ids: []int64{4, 5}, count: 2},
		{name: "a company without materials gets an empty page", injector: "external", caller: initech,
			ids: []int64{}, count: 0},
		{name: "active materials only", injector: "staff", caller: staff, in: materials.ListInput{IsActive: ptr(true)},
			ids: []int64{1, 2, 4}, count: 3},
		{name: "inactive materials of the caller's company only", injector: "external", caller: acme,
			in: materials.ListInput{IsActive: ptr(false)}, ids: []int64{3}, count: 1},
		{name: "ordered by name", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "name"},
			ids: []int64{5, 1, 2, 3, 4}, count: 5},
		{name: "ordered by thickness, descending", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "-thickness"},
			ids: []int64{1, 4, 3, 2, 5}, count: 5},
		{name: "ordered by quality, ties by ID", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "quality"},
			ids: []int64{2, 5, 3, 1, 4}, count: 5},
		{name: "ordered by creation, newest first", injector: "external", caller: globex, in: materials.ListInput{Ordering: "-created_at"},
			ids: []int64{5, 4}, count: 2},
		{name: "ordered by ID, descending", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "-id"},
			ids: []int64{5, 4, 3, 2, 1}, count: 5},
		{name: "a page in the middle, counted in full", injector: "staff", caller: staff,
			in: materials.ListInput{Limit: 2, Offset: 1, Ordering: "name"}, ids: []int64{1, 2}, count: 5},
		{name: "the last page is short", injector: "staff", caller: staff,
			in: materials.ListInput{Limit: 2, Offset: 4}, ids: []int64{5}, count: 5},
		{name: "filters, order and page together", injector: "external", caller: acme,
			in: materials.ListInput{Limit: 1, Offset: 1, Ordering: "-thickness", IsActive: ptr(true)}, ids: []int64{2}, count: 2},
		{name: "a page past the end is empty but counted", injector: "staff", caller: staff,
			in: materials.ListInput{Offset: 5}, ids: []int64{}, count: 5},
		{name: "a negative offset starts at the beginning", injector: "staff", caller: staff,
			in: materials.ListInput{Limit: 1, Offset: -3}, ids: []int64{1}, count: 5},
		{name: "a caller with no role is forbidden", injector: "staff", caller: nobody, want: materials.ErrForbidden},
		{name: "a caller with no role is forbidden from the external list too", injector: "external", caller: nobody, want: materials.ErrForbidden},
		{name: "an external caller is forbidden the staff list", injector: "staff", caller: acme, want: materials.ErrForbidden},
		{name: "staff without a company are forbidden the external list", injector: "external", caller: staff, want: materials.ErrForbidden},
		{name: "an external caller without a company is forbidden", injector: "external", caller: homeless, want: materials.ErrForbidden},
		{name: "an unknown field is no ordering", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "colour"}, want: materials.ErrInvalidOrdering},
		{name: "an injection attempt is no ordering", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "name;DROP TABLE materials"}, want: materials.ErrInvalidOrdering},
		{name: "two minus signs are no ordering", injector: "staff", caller: staff, in: materials.ListInput{Ordering: "--name"}, want: materials.ErrInvalidOrdering},
		{name: "a bad ordering is refused even when nothing matches", injector: "external", caller: initech, in: materials.ListInput{Ordering: "Name"}, want: materials.ErrInvalidOrdering},
		{name: "a bad ordering is refused even past the end", injector: "staff", caller: staff, in: materials.ListInput{Offset: 99, Ordering: "-"}, want: materials.ErrInvalidOrdering},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := listMaterials(t, repo, tc.injector)
			page, err := l.Run(context.Background(), tc.caller, tc.in)
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
	seen.all(t, listMaterials(t, repo, "staff").Failures())
}

func TestListMaterialsPage(t *testing.T) {
	repo := memory.NewMaterials()
	for i := range materials.MaxLimit + 5 {
		m := materials.Material{CompanyID: 1, Name: "sheet " + string(rune('A'+i/26)) + string(rune('a'+i%26)), Quality: "steel", Thickness: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := repo.Create(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	l := listMaterials(t, repo, "staff")
	for _, tc := range []struct {
		name       string
		in         materials.ListInput
		limit, len int
		offset     int
	}{
		{name: "no limit gives the default page", limit: materials.DefaultLimit, len: materials.DefaultLimit},
		{name: "a negative limit gives the default page", in: materials.ListInput{Limit: -1}, limit: materials.DefaultLimit, len: materials.DefaultLimit},
		{name: "a limit above the maximum is capped", in: materials.ListInput{Limit: 1000}, limit: materials.MaxLimit, len: materials.MaxLimit},
		{name: "the page says where it starts", in: materials.ListInput{Limit: 10, Offset: 100}, limit: 10, offset: 100, len: 5},
		{name: "a negative offset is reported as zero", in: materials.ListInput{Limit: 3, Offset: -1}, limit: 3, len: 3},
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
			if got, want := page.Count, int64(materials.MaxLimit+5); got != want {
				t.Errorf("Count = %d, want %d", got, want)
			}
		})
	}
}

func TestListMaterialsEarlyResult(t *testing.T) {
	repo := seeded(t)
	var finds int
	l, err := materials.NewListMaterials(materials.ListMaterialsDeps{
		FilterOnPermissions: materials.CompanyAccess,
		Count:               repo.Count,
		Find: func(ctx context.Context, q materials.Query) ([]materials.Material, error) {
			finds++
			return repo.Find(ctx, q)
		},
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("a page past the last match is answered without fetching", func(t *testing.T) {
		finds = 0
		page, err := l.Run(context.Background(), acme, materials.ListInput{Limit: 10, Offset: 3})
		if err != nil {
			t.Fatal(err)
		}
		if finds != 0 {
			t.Errorf("Find ran %d times, want none", finds)
		}
		if got, want := page.Count, int64(3); got != want {
			t.Errorf("Count = %d, want %d", got, want)
		}
		if page.Items == nil || len(page.Items) != 0 {
			t.Errorf("Items = %#v, want empty and not nil", page.Items)
		}
		if got, want := page.Limit, 10; got != want {
			t.Errorf("Limit = %d, want %d", got, want)
		}
	})

	t.Run("a company without materials is answered without fetching", func(t *testing.T) {
		finds = 0
		page, err := l.Run(context.Background(), initech, materials.ListInput{})
		if err != nil {
			t.Fatal(err)
		}
		if finds != 0 || page.Count != 0 || len(page.Items) != 0 {
			t.Errorf("finds %d, page %+v; want no fetch and an empty page", finds, page)
		}
	})

	t.Run("a page with matches is fetched once", func(t *testing.T) {
		finds = 0
		if _, err := l.Run(context.Background(), acme, materials.ListInput{Offset: 2}); err != nil {
			t.Fatal(err)
		}
		if finds != 1 {
			t.Errorf("Find ran %d times, want once", finds)
		}
	})
}

func TestListMaterialsInternalErrors(t *testing.T) {
	broken := errors.New("connection reset")
	repo := seeded(t)
	for _, tc := range []struct {
		name string
		deps materials.ListMaterialsDeps
		step string
	}{
		{"a failing count is internal", materials.ListMaterialsDeps{
			FilterOnPermissions: materials.StaffAccess,
			Count:               func(context.Context, materials.Filter) (int64, error) { return 0, broken },
			Find:                repo.Find,
		}, "get count"},
		{"a failing fetch is internal", materials.ListMaterialsDeps{
			FilterOnPermissions: materials.StaffAccess,
			Count:               repo.Count,
			Find:                func(context.Context, materials.Query) ([]materials.Material, error) { return nil, broken },
		}, "fetch the page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := materials.NewListMaterials(tc.deps)
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Run(context.Background(), staff, materials.ListInput{})
			internal(t, err, tc.step)
			if !errors.Is(err, broken) {
				t.Errorf("err = %v, want it to wrap %v", err, broken)
			}
		})
	}

	t.Run("a cancelled request stops the story", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := listMaterials(t, repo, "staff").Run(ctx, staff, materials.ListInput{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		internal(t, err, "start from every material")
	})
}

func TestListMaterialsWiring(t *testing.T) {
	t.Run("a missing dependency is named at construction", func(t *testing.T) {
		_, err := materials.NewListMaterials(materials.ListMaterialsDeps{Count: memory.NewMaterials().Count})
		if err == nil {
			t.Fatal("NewListMaterials accepted missing dependencies")
		}
		if got, want := err.Error(), "story ListMaterials: missing dependencies: FilterOnPermissions, Find"; got != want {
			t.Errorf("error %q, want %q", got, want)
		}
	})

	t.Run("the steps are the seed's process, in order", func(t *testing.T) {
		d := listMaterials(t, memory.NewMaterials(), "staff").Describe()
		var steps []string
		for _, s := range d.Steps {
			steps = append(steps, s.Name)
		}
		want := "start from every material, filter on permissions, filter on active, get count, apply order by, apply limit offset, fetch the page"
		if got := strings.Join(steps, ", "); got != want {
			t.Errorf("steps %s, want %s", got, want)
		}
	})

	t.Run("the two injectors differ only in the permission filter", func(t *testing.T) {
		repo := memory.NewMaterials()
		staffDeps := listMaterials(t, repo, "staff").Describe().Dependencies
		externalDeps := listMaterials(t, repo, "external").Describe().Dependencies
		if len(staffDeps) != 3 || len(externalDeps) != 3 {
			t.Fatalf("dependencies %v and %v, want three each", staffDeps, externalDeps)
		}
		for i := range staffDeps {
			differ := staffDeps[i] != externalDeps[i]
			if got, want := differ, staffDeps[i].Field == "FilterOnPermissions"; got != want {
				t.Errorf("%s: %q vs %q", staffDeps[i].Field, staffDeps[i].Implementation, externalDeps[i].Implementation)
			}
		}
		const pkg = "github.com/charterhq/charter/stories/materials."
		if got, want := staffDeps[0].Implementation, pkg+"StaffAccess"; got != want {
			t.Errorf("staff filter %q, want %q", got, want)
		}
		if got, want := externalDeps[0].Implementation, pkg+"CompanyAccess"; got != want {
			t.Errorf("external filter %q, want %q", got, want)
		}
		if got, want := staffDeps[1].Implementation, "github.com/charterhq/charter/repositories/memory.(*Materials).Count"; got != want {
			t.Errorf("Count %q, want %q", got, want)
		}
	})

	t.Run("it declares exactly its failures", func(t *testing.T) {
		got := listMaterials(t, memory.NewMaterials(), "staff").Failures()
		if want := []error{materials.ErrForbidden, materials.ErrInvalidOrdering}; !sameErrors(got, want) {
			t.Errorf("Failures() = %v, want %v", got, want)
		}
	})

	t.Run("middleware wraps a run", func(t *testing.T) {
		var names []string
		l := listMaterials(t, seeded(t), "staff").With(func(ctx context.Context, name string, next func(context.Context) error) error {
			names = append(names, name)
			return next(ctx)
		})
		if _, err := l.Run(context.Background(), staff, materials.ListInput{}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(names, ","), "ListMaterials"; got != want {
			t.Errorf("middleware saw %q, want %q", got, want)
		}
	})
}
