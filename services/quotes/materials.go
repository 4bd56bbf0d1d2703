package quotes

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	materialsapi "github.com/charterhq/charter/gen/materials"
	"github.com/charterhq/charter/services/platform/call"
	domain "github.com/charterhq/charter/stories/quotes"
)

// Materials returns the MaterialsFunc the submission prices with: it reads
// each material through the generated client of api/materials.yaml, as the
// quotes service's own identity (staff, materials:read and nothing else),
// never with the caller's token, so that what a quote may read does not
// depend on who submits it. The story checks that every material belongs
// to the quote's company.
//
// A material the service does not know (404) is absent from the answer;
// a service that cannot answer (down, failing, its breaker open) is
// domain.ErrMaterialsUnreachable, which the client answers 503; anything
// else (a token the service refuses) is a defect of ours and internal.
func Materials(baseURL string, client *http.Client) (domain.MaterialsFunc, error) {
	c, err := materialsapi.NewClientWithResponses(baseURL, materialsapi.WithHTTPClient(client))
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, ids []int64) (map[int64]domain.PricedMaterial, error) {
		out := make(map[int64]domain.PricedMaterial, len(ids))
		for _, id := range ids {
			resp, err := c.GetMaterialWithResponse(ctx, id, nil)
			switch {
			case errors.Is(err, call.ErrUnavailable):
				return nil, fmt.Errorf("%w: %v", domain.ErrMaterialsUnreachable, err)
			case err != nil:
				if ctx.Err() != nil {
					return nil, err
				}
				return nil, fmt.Errorf("%w: %v", domain.ErrMaterialsUnreachable, err)
			case resp.StatusCode() == http.StatusNotFound:
				continue
			case resp.JSON200 == nil:
				return nil, fmt.Errorf("materials answered %s to get material %d", resp.Status(), id)
			}
			m := resp.JSON200
			priced := domain.PricedMaterial{ID: m.Id, CompanyID: m.CompanyId, Name: m.Name, Active: m.IsActive}
			if p := m.PricePerSquareMetre; p != nil {
				priced.PricePerSquareMetre = domain.Money{Amount: p.Amount, Currency: p.Currency}
			}
			out[id] = priced
		}
		return out, nil
	}, nil
}
