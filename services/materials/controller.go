package materials

import (
	"context"
	"strconv"

	api "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/gen/shared"
	"github.com/charterhq/charter/services/platform/conditional"
	"github.com/charterhq/charter/services/platform/request"
	"github.com/charterhq/charter/stories/access"
	domain "github.com/charterhq/charter/stories/materials"
)

// Controller implements the generated strict server interface. It only
// translates: the typed request into a story's input, the story's result
// or declared failure into a typed response. Deciding is the stories' job.
type Controller struct {
	wiring *Wiring
}

var _ api.StrictServerInterface = (*Controller)(nil)

// NewController returns a controller over the wired stories.
func NewController(w *Wiring) *Controller { return &Controller{wiring: w} }

// caller returns the authenticated caller the contract middleware put in
// the context. Every operation of the spec is secured, so a request
// without one never gets here; the zero caller has no role and every
// story refuses it.
func caller(ctx context.Context) access.Caller {
	c, _ := request.CallerFrom(ctx)
	return c
}

// ListMaterials lists one page of materials.
func (c *Controller) ListMaterials(ctx context.Context, req api.ListMaterialsRequestObject) (api.ListMaterialsResponseObject, error) {
	who := caller(ctx)
	in := domain.ListInput{IsActive: req.Params.IsActive}
	if req.Params.Limit != nil {
		in.Limit = int(*req.Params.Limit)
	}
	if req.Params.Offset != nil {
		in.Offset = int(*req.Params.Offset)
	}
	if req.Params.Ordering != nil {
		in.Ordering = string(*req.Params.Ordering)
	}
	page, err := c.wiring.For(who).List.Run(ctx, who, in)
	if err != nil {
		return listAnswers.Respond(ctx, err)
	}
	out := api.ListMaterials200JSONResponse{
		Items: make([]api.Material, len(page.Items)), Count: page.Count,
		Limit: int32(page.Limit), Offset: int32(page.Offset),
	}
	for i, m := range page.Items {
		out.Items[i] = toAPI(m)
	}
	return out, nil
}

// CreateMaterial creates a material and says where it lives.
func (c *Controller) CreateMaterial(ctx context.Context, req api.CreateMaterialRequestObject) (api.CreateMaterialResponseObject, error) {
	who := caller(ctx)
	b := req.Body
	in := domain.CreateInput{
		Name: b.Name, Quality: b.Quality, Thickness: b.Thickness, IsActive: b.IsActive,
		Price: fromAPIMoney(b.PricePerSquareMetre),
	}
	if b.CompanyId != nil {
		in.CompanyID = *b.CompanyId
	}
	m, err := c.wiring.For(who).Create.Run(ctx, who, in)
	if err != nil {
		return createAnswers.Respond(ctx, err)
	}
	loc := "/materials/" + strconv.FormatInt(m.ID, 10)
	etag := conditional.ETag(m.Version)
	return api.CreateMaterial201JSONResponse{Body: toAPI(m), Headers: api.CreateMaterial201ResponseHeaders{Location: &loc, ETag: &etag}}, nil
}

// GetMaterial returns one material with its ETag, or only the ETag when
// If-None-Match holds it. The story runs first, so that a material out of
// the caller's reach is not found whatever tag the request names.
func (c *Controller) GetMaterial(ctx context.Context, req api.GetMaterialRequestObject) (api.GetMaterialResponseObject, error) {
	who := caller(ctx)
	m, err := c.wiring.For(who).Get.Run(ctx, who, domain.GetInput{ID: req.MaterialId})
	if err != nil {
		return getAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(m.Version)
	if conditional.NotModified(req.Params.IfNoneMatch, m.Version) {
		return api.GetMaterial304Response{Headers: shared.NotModifiedResponseHeaders{ETag: &etag}}, nil
	}
	return api.GetMaterial200JSONResponse{Body: toAPI(m), Headers: api.GetMaterial200ResponseHeaders{ETag: &etag}}, nil
}

// UpdateMaterial replaces the editable fields of a material; its price
// only when the request gives one; only at the version If-Match names,
// when it names one.
func (c *Controller) UpdateMaterial(ctx context.Context, req api.UpdateMaterialRequestObject) (api.UpdateMaterialResponseObject, error) {
	who := caller(ctx)
	b := req.Body
	m, err := c.wiring.For(who).Update.Run(ctx, who, domain.UpdateInput{
		ID: req.MaterialId,
		Fields: domain.Fields{
			Name: b.Name, Quality: b.Quality, Thickness: b.Thickness, IsActive: b.IsActive,
			// Absent, it is nil, which the story reads as "keep the price".
			Price: fromAPIMoney(b.PricePerSquareMetre),
		},
		Version: conditional.IfMatch(req.Params.IfMatch),
	})
	if err != nil {
		return updateAnswers.Respond(ctx, err)
	}
	etag := conditional.ETag(m.Version)
	return api.UpdateMaterial200JSONResponse{Body: toAPI(m), Headers: api.UpdateMaterial200ResponseHeaders{ETag: &etag}}, nil
}

// DeleteMaterial deletes a material; only at the version If-Match names,
// when it names one.
func (c *Controller) DeleteMaterial(ctx context.Context, req api.DeleteMaterialRequestObject) (api.DeleteMaterialResponseObject, error) {
	who := caller(ctx)
	in := domain.DeleteInput{ID: req.MaterialId, Version: conditional.IfMatch(req.Params.IfMatch)}
	if _, err := c.wiring.For(who).Delete.Run(ctx, who, in); err != nil {
		return deleteAnswers.Respond(ctx, err)
	}
	return api.DeleteMaterial204Response{}, nil
}

// toAPI maps a domain material to the generated type. Times go out in UTC
// so that every client sees one zone; a material with no price goes out
// without price_per_square_metre.
func toAPI(m domain.Material) api.Material {
	return api.Material{
		Id: m.ID, CompanyId: m.CompanyID, Name: m.Name, Quality: m.Quality, Thickness: m.Thickness,
		IsActive: m.IsActive, PricePerSquareMetre: toAPIMoney(m.Price),
		CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(),
	}
}

// fromAPIMoney maps a price that may be absent to the domain's.
func fromAPIMoney(p *shared.Money) *domain.Money {
	if p == nil {
		return nil
	}
	return &domain.Money{Amount: p.Amount, Currency: p.Currency}
}

// toAPIMoney maps a price that may be absent to the generated type.
func toAPIMoney(p *domain.Money) *shared.Money {
	if p == nil {
		return nil
	}
	return &shared.Money{Amount: p.Amount, Currency: p.Currency}
}
