package scenario

import (
	"net/http"
	"testing"

	"github.com/charterhq/charter/gen/sdk/go/materials"
	"github.com/charterhq/charter/gen/sdk/go/quotes"
	"github.com/charterhq/charter/gen/sdk/go/shared"
)

// quotesAs is a quotes client that authenticates with the token in the
// named variable.
func quotesAs(t *testing.T, tokenVar string) *quotes.ClientWithResponses {
	t.Helper()
	c, err := quotes.NewClientWithResponses(env(t, "CHARTER_QUOTES_URL"),
		quotes.WithRequestEditorFn(bearer(env(t, tokenVar))))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// pricedMaterial creates a material of the external caller's company at
// cents EUR a square metre and returns its ID.
func pricedMaterial(t *testing.T, name string, cents int64) int64 {
	t.Helper()
	r, err := materialsAs(t, "CHARTER_TOKEN_EXTERNAL").CreateMaterialWithResponse(ctx(t), nil, materials.NewMaterial{
		Name: name, Quality: "steel", Thickness: 3,
		PricePerSquareMetre: &shared.Money{Amount: cents, Currency: "EUR"},
	})
	if err != nil || r.JSON201 == nil {
		t.Fatalf("create material %s: %v %s", name, err, r.Body)
	}
	return r.JSON201.Id
}

// TestQuotes is an integrator's life with quotes: a draft created, its
// lines replaced only at the version read, submitted and priced, accepted
// by staff; drafts listed page by page; a draft deleted.
func TestQuotes(t *testing.T) {
	c := ctx(t)
	ext := quotesAs(t, "CHARTER_TOKEN_EXTERNAL")
	run := unique()
	material := pricedMaterial(t, "3 mm Steel "+run, 10000)

	// Create under an Idempotency-Key: a retry gets the same draft.
	key := "draft-" + run
	created, err := ext.CreateQuoteWithResponse(c, &quotes.CreateQuoteParams{IdempotencyKey: &key}, quotes.NewQuote{})
	if err != nil {
		t.Fatal(err)
	}
	if created.JSON201 == nil || created.JSON201.State != quotes.QuoteStateDraft {
		t.Fatalf("create: %s %s", created.Status(), created.Body)
	}
	q := *created.JSON201
	retry, err := ext.CreateQuoteWithResponse(c, &quotes.CreateQuoteParams{IdempotencyKey: &key}, quotes.NewQuote{})
	if err != nil {
		t.Fatal(err)
	}
	if retry.JSON201 == nil || retry.JSON201.Id != q.Id {
		t.Fatalf("a retry with the same Idempotency-Key answered %s %s, want draft %d", retry.Status(), retry.Body, q.Id)
	}
	etag := *created.Headers201.ETag

	// Replace the lines at the version read: 10 parts of 0.5 m x 0.4 m;
	// the same tag a second time is stale.
	lines := quotes.QuoteLines{Lines: []quotes.NewQuoteLine{{MaterialId: material, Quantity: 10, WidthMm: 500, HeightMm: 400}}}
	replaced, err := ext.ReplaceQuoteLinesWithResponse(c, q.Id, &quotes.ReplaceQuoteLinesParams{IfMatch: &etag}, lines)
	if err != nil {
		t.Fatal(err)
	}
	if replaced.JSON200 == nil || len(replaced.JSON200.Lines) != 1 {
		t.Fatalf("replace lines with If-Match: %s %s", replaced.Status(), replaced.Body)
	}
	current := *replaced.Headers200.ETag
	stale, err := ext.ReplaceQuoteLinesWithResponse(c, q.Id, &quotes.ReplaceQuoteLinesParams{IfMatch: &etag}, quotes.QuoteLines{Lines: []quotes.NewQuoteLine{}})
	if err != nil {
		t.Fatal(err)
	}
	if stale.Problem412 == nil {
		t.Fatalf("replace lines with a stale If-Match: %s %s, want a 412 problem", stale.Status(), stale.Body)
	}

	// A read with the tag held is answered 304, without a body.
	same, err := ext.GetQuoteWithResponse(c, q.Id, &quotes.GetQuoteParams{IfNoneMatch: &current})
	if err != nil {
		t.Fatal(err)
	}
	if same.StatusCode() != http.StatusNotModified || same.JSON200 != nil {
		t.Fatalf("get with If-None-Match of the current tag: %s %s, want 304", same.Status(), same.Body)
	}

	// Submit: priced from materials. 10 x 0.2 m² at 100.00 EUR is 200.00 EUR.
	submitKey := "submit-" + run
	submitted, err := ext.SubmitQuoteWithResponse(c, q.Id, &quotes.SubmitQuoteParams{IdempotencyKey: &submitKey})
	if err != nil {
		t.Fatal(err)
	}
	s := submitted.JSON200
	if s == nil || s.State != quotes.QuoteStateSubmitted {
		t.Fatalf("submit: %s %s", submitted.Status(), submitted.Body)
	}
	if s.Total == nil || *s.Total != (shared.Money{Amount: 20000, Currency: "EUR"}) {
		t.Errorf("total = %+v, want 20000 EUR", s.Total)
	}
	if s.ValidUntil == nil || s.SubmittedAt == nil {
		t.Errorf("a submitted quote has no validity or submission time: %+v", s)
	}

	// A submitted quote is no draft: it cannot be deleted, and staff accept it.
	notDraft, err := ext.DeleteQuoteWithResponse(c, q.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if notDraft.Problem409 == nil {
		t.Errorf("delete of a submitted quote: %s %s, want a 409 problem", notDraft.Status(), notDraft.Body)
	}
	accepted, err := quotesAs(t, "CHARTER_TOKEN_STAFF").AcceptQuoteWithResponse(c, q.Id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accepted.JSON200 == nil || accepted.JSON200.State != quotes.QuoteStateAccepted || accepted.JSON200.DecidedAt == nil {
		t.Fatalf("staff's accept: %s %s", accepted.Status(), accepted.Body)
	}

	// List the drafts, newest first, two a page: three made now come
	// first, in the reverse order of their making.
	var made []int64
	for range 3 {
		r, err := ext.CreateQuoteWithResponse(c, nil, quotes.NewQuote{Lines: &lines.Lines})
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create draft: %v %s", err, r.Body)
		}
		made = append(made, r.JSON201.Id)
	}
	var listed []int64
	for offset := int32(0); offset < 4; offset += 2 {
		page, err := ext.ListQuotesWithResponse(c, &quotes.ListQuotesParams{
			Limit: ptr[int32](2), Offset: &offset,
			Ordering: ptr(quotes.QuoteOrderingCreatedAtDescending), State: ptr(quotes.QuoteStateDraft),
		})
		if err != nil {
			t.Fatal(err)
		}
		if page.JSON200 == nil || len(page.JSON200.Items) > 2 || page.JSON200.Count < 3 {
			t.Fatalf("list at offset %d: %s %s", offset, page.Status(), page.Body)
		}
		for _, item := range page.JSON200.Items {
			if item.State != quotes.QuoteStateDraft || item.CompanyId != companyID(t) {
				t.Errorf("the list of the caller's drafts holds quote %d, %s, of company %d", item.Id, item.State, item.CompanyId)
			}
			listed = append(listed, item.Id)
		}
	}
	if len(listed) < 3 || listed[0] != made[2] || listed[1] != made[1] || listed[2] != made[0] {
		t.Errorf("drafts newest first: %v, want %v first", listed, []int64{made[2], made[1], made[0]})
	}

	// Delete a draft at the version read.
	draft, err := ext.GetQuoteWithResponse(c, made[0], nil)
	if err != nil || draft.JSON200 == nil {
		t.Fatalf("get draft: %v %s", err, draft.Body)
	}
	deleted, err := ext.DeleteQuoteWithResponse(c, made[0], &quotes.DeleteQuoteParams{IfMatch: draft.Headers200.ETag})
	if err != nil {
		t.Fatal(err)
	}
	if deleted.StatusCode() != http.StatusNoContent {
		t.Fatalf("delete a draft with If-Match: %s %s", deleted.Status(), deleted.Body)
	}
}

// TestQuotesProblems: what a client is refused, each as a typed problem
// document.
func TestQuotesProblems(t *testing.T) {
	c := ctx(t)
	ext := quotesAs(t, "CHARTER_TOKEN_EXTERNAL")
	created, err := ext.CreateQuoteWithResponse(c, nil, quotes.NewQuote{})
	if err != nil || created.JSON201 == nil {
		t.Fatalf("create: %v %s", err, created.Body)
	}
	id := created.JSON201.Id

	t.Run("403 for a viewer", func(t *testing.T) {
		r, err := quotesAs(t, "CHARTER_TOKEN_VIEWER").CreateQuoteWithResponse(c, nil, quotes.NewQuote{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Problem403 == nil || r.Problem403.Status != http.StatusForbidden {
			t.Fatalf("a viewer's create answered %s %s, want a 403 problem", r.Status(), r.Body)
		}
	})

	t.Run("404 for another company's quote", func(t *testing.T) {
		r, err := quotesAs(t, "CHARTER_TOKEN_OTHER_COMPANY").GetQuoteWithResponse(c, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Problem404 == nil || r.Problem() == nil || r.Problem().Status != http.StatusNotFound {
			t.Fatalf("another company's get answered %s %s, want a 404 problem", r.Status(), r.Body)
		}
	})

	t.Run("409 pointing at the line whose material is unknown", func(t *testing.T) {
		material := pricedMaterial(t, "2 mm Steel "+unique(), 10000)
		lines := []quotes.NewQuoteLine{
			{MaterialId: material, Quantity: 1, WidthMm: 100, HeightMm: 100},
			{MaterialId: 1 << 40, Quantity: 1, WidthMm: 100, HeightMm: 100},
		}
		draft, err := ext.CreateQuoteWithResponse(c, nil, quotes.NewQuote{Lines: &lines})
		if err != nil || draft.JSON201 == nil {
			t.Fatalf("create: %v %s", err, draft.Body)
		}
		r, err := ext.SubmitQuoteWithResponse(c, draft.JSON201.Id, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := r.Problem409
		if p == nil || p.Errors == nil || len(*p.Errors) != 1 || (*p.Errors)[0].Pointer != "#/lines/1/material_id" {
			t.Fatalf("submit with an unknown material answered %s %s, want a 409 problem pointing at #/lines/1/material_id", r.Status(), r.Body)
		}
	})

	t.Run("422 pointing at the line out of range", func(t *testing.T) {
		// The largest price a material takes, for 100 m² a part: a total
		// no amount holds.
		material := pricedMaterial(t, "1 mm Gold "+unique(), 9007199254740991)
		lines := []quotes.NewQuoteLine{{MaterialId: material, Quantity: 10000, WidthMm: 10000, HeightMm: 10000}}
		draft, err := ext.CreateQuoteWithResponse(c, nil, quotes.NewQuote{Lines: &lines})
		if err != nil || draft.JSON201 == nil {
			t.Fatalf("create: %v %s", err, draft.Body)
		}
		r, err := ext.SubmitQuoteWithResponse(c, draft.JSON201.Id, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := r.Problem422
		if p == nil || p.Errors == nil || len(*p.Errors) != 1 || (*p.Errors)[0].Pointer != "#/lines/0" {
			t.Fatalf("submit of an unpriceable line answered %s %s, want a 422 problem pointing at #/lines/0", r.Status(), r.Body)
		}
	})
}
