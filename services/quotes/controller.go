package quotes

import (
	"context"
	"strconv"
	"time"

	api "github.com/charterhq/charter/gen/quotes"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/conditional"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/quotes"
)

// Controller implements the generated strict server interface. It only
// translates: the typed request into a story's input, the story's result
// or declared failure into a typed response.
type Controller struct {
	wiring *Wiring
}

var _ api.StrictServerInterface = (*Controller)(nil)

// NewController returns a controller over the wired stories.
func NewController(w *Wiring) *Controller { return &Controller{wiring: w} }

// caller returns the authenticated caller the contract middleware put in
// the context; the zero caller has no role and every story refuses it.
func caller(ctx context.Context) access.Caller {
	c, _ := request.CallerFrom(ctx)
	return c
}

// ListQuotes lists one page of quotes.
func (c *Controller) ListQuotes(ctx context.Context, req api.ListQuotesRequestObject) (api.ListQuotesResponseObject, error) {
	who := caller(ctx)
	var in domain.ListInput
	if p := req.Params; p.Limit != nil {
		in.Limit = int(*p.Limit)
	}
	if req.Params.Offset != nil {
		in.Offset = int(*req.Params.Offset)
	}
	if req.Params.Ordering != nil {
		in.Ordering = string(*req.Params.Ordering)
	}
	if req.Params.State != nil {
		in.State = domain.State(*req.Params.State)
	}
	page, err := c.wiring.For(who).List.Run(ctx, who, in)
	if err != nil {
		return listAnswers.Respond(ctx, err)
	}
	out := api.ListQuotes200JSONResponse{
		Items: make([]api.Quote, len(page.Items)), Count: page.Count,
		Limit: int32(page.Limit), Offset: int32(page.Offset),
	}
	for i, q := range page.Items {
		out.Items[i] = toAPI(q)
	}
	return out, nil
}

// CreateQuote creates a draft and says where it lives.
func (c *Controller) CreateQuote(ctx context.Context, req api.CreateQuoteRequestObject) (api.CreateQuoteResponseObject, error) {
	who := caller(ctx)
	var in domain.CreateInput
	if req.Body.CompanyId != nil {
		in.CompanyID = *req.Body.CompanyId
	}
	if req.Body.Lines != nil {
		in.Lines = fromAPILines(*req.Body.Lines)
	}
	q, err := c.wiring.For(who).Create.Run(ctx, who, in)
	if err != nil {
		return createAnswers.Respond(ctx, err)
	}
	loc := "/quotes/" + strconv.FormatInt(q.ID, 10)
	etag := conditional.ETag(q.Version)
	return api.CreateQuote201JSONResponse{Body: toAPI(q), Headers: api.CreateQuote201ResponseHeaders{Location: &loc, ETag: &etag}}, nil
}

// GetQuote returns one quote with its ETag, or only the ETag when
// If-None-Match holds it. The story runs first, so that a quote out of
// the caller's reach is not found whatever tag the request names.
func (c *Controller) GetQuote(ctx context.Context, req api.GetQuoteRequestObject) (api.GetQuoteResponseObject, error) {
	who := caller(ctx)
	q, err := c.wiring.For(who).Get.Run(ctx, who, domain.GetInput{ID: req.QuoteId})
	if err != nil {
		return getAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(q.Version)
	if conditional.NotModified(req.Params.IfNoneMatch, q.Version) {
		return api.GetQuote304Response{Headers: shared.NotModifiedResponseHeaders{ETag: &etag}}, nil
	}
	return api.GetQuote200JSONResponse{Body: toAPI(q), Headers: api.GetQuote200ResponseHeaders{ETag: &etag}}, nil
}

// ReplaceQuoteLines replaces the lines of a draft; only at the version
// If-Match names, when it names one.
func (c *Controller) ReplaceQuoteLines(ctx context.Context, req api.ReplaceQuoteLinesRequestObject) (api.ReplaceQuoteLinesResponseObject, error) {
	who := caller(ctx)
	q, err := c.wiring.For(who).ReplaceLines.Run(ctx, who, domain.ReplaceLinesInput{
		ID: req.QuoteId, Lines: fromAPILines(req.Body.Lines), Version: conditional.IfMatch(req.Params.IfMatch),
	})
	if err != nil {
		return replaceLinesAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(q.Version)
	return api.ReplaceQuoteLines200JSONResponse{Body: toAPI(q), Headers: api.ReplaceQuoteLines200ResponseHeaders{ETag: &etag}}, nil
}

// DeleteQuote deletes a draft; only at the version If-Match names, when
// it names one.
func (c *Controller) DeleteQuote(ctx context.Context, req api.DeleteQuoteRequestObject) (api.DeleteQuoteResponseObject, error) {
	who := caller(ctx)
	in := domain.DeleteInput{ID: req.QuoteId, Version: conditional.IfMatch(req.Params.IfMatch)}
	if _, err := c.wiring.For(who).Delete.Run(ctx, who, in); err != nil {
		return deleteAnswers.Respond(ctx, err)
	}
	return api.DeleteQuote204Response{}, nil
}

// SubmitQuote prices a draft and submits it, answering its new ETag.
func (c *Controller) SubmitQuote(ctx context.Context, req api.SubmitQuoteRequestObject) (api.SubmitQuoteResponseObject, error) {
	who := caller(ctx)
	q, err := c.wiring.For(who).Submit.Run(ctx, who, domain.SubmitInput{ID: req.QuoteId})
	if err != nil {
		return submitAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(q.Version)
	return api.SubmitQuote200JSONResponse{Body: toAPI(q), Headers: api.SubmitQuote200ResponseHeaders{ETag: &etag}}, nil
}

// AcceptQuote accepts a submitted quote, answering its new ETag.
func (c *Controller) AcceptQuote(ctx context.Context, req api.AcceptQuoteRequestObject) (api.AcceptQuoteResponseObject, error) {
	who := caller(ctx)
	q, err := c.wiring.For(who).Accept.Run(ctx, who, domain.AcceptInput{ID: req.QuoteId})
	if err != nil {
		return acceptAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(q.Version)
	return api.AcceptQuote200JSONResponse{Body: toAPI(q), Headers: api.AcceptQuote200ResponseHeaders{ETag: &etag}}, nil
}

// RejectQuote rejects a submitted quote, answering its new ETag.
func (c *Controller) RejectQuote(ctx context.Context, req api.RejectQuoteRequestObject) (api.RejectQuoteResponseObject, error) {
	who := caller(ctx)
	q, err := c.wiring.For(who).Reject.Run(ctx, who, domain.RejectInput{ID: req.QuoteId})
	if err != nil {
		return rejectAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(q.Version)
	return api.RejectQuote200JSONResponse{Body: toAPI(q), Headers: api.RejectQuote200ResponseHeaders{ETag: &etag}}, nil
}

func fromAPILines(lines []api.NewQuoteLine) []domain.Line {
	out := make([]domain.Line, len(lines))
	for i, l := range lines {
		out[i] = domain.Line{MaterialID: l.MaterialId, Quantity: l.Quantity, WidthMM: l.WidthMm, HeightMM: l.HeightMm}
	}
	return out
}

// toAPI maps a domain quote to the generated type. Times go out in UTC;
// prices only once the quote has them.
func toAPI(q domain.Quote) api.Quote {
	out := api.Quote{
		Id: q.ID, CompanyId: q.CompanyID, State: api.QuoteState(q.State),
		Lines:     make([]api.QuoteLine, len(q.Lines)),
		CreatedAt: q.CreatedAt.UTC(), UpdatedAt: q.UpdatedAt.UTC(),
		ValidUntil: utc(q.ValidUntil), SubmittedAt: utc(q.SubmittedAt), DecidedAt: utc(q.DecidedAt),
	}
	priced := q.State != domain.Draft
	for i, l := range q.Lines {
		line := api.QuoteLine{MaterialId: l.MaterialID, Quantity: l.Quantity, WidthMm: l.WidthMM, HeightMm: l.HeightMM}
		if priced {
			name, unit, total := l.MaterialName, money(l.UnitPrice), money(l.Total)
			line.MaterialName, line.UnitPrice, line.Total = &name, &unit, &total
		}
		out.Lines[i] = line
	}
	if q.Total != nil {
		t := money(*q.Total)
		out.Total = &t
	}
	return out
}

func money(m domain.Money) shared.Money { return shared.Money{Amount: m.Amount, Currency: m.Currency} }

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
