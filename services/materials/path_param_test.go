package materials_test

import (
	"context"
	"net/http"
	"testing"

	api "github.com/charterhq/charter/gen/materials"
)

// idRecorder records the material ID the generated wrapper bound.
type idRecorder struct {
	api.StrictServerInterface
	got *int64
}

func (s idRecorder) GetMaterial(_ context.Context, req api.GetMaterialRequestObject) (api.GetMaterialResponseObject, error) {
	*s.got = req.MaterialId
	return api.GetMaterial200JSONResponse{Body: strictMaterial}, nil
}

// TestPathIntegerBinding holds the generated wrapper's direct parse of an
// integer path parameter to what the runtime's binding does: the same
// value, and escaped or unparsable input left to the runtime.
func TestPathIntegerBinding(t *testing.T) {
	tests := []struct {
		name, target string
		status       int
		want         int64
	}{
		{"plain", "/materials/42", http.StatusOK, 42},
		{"signed", "/materials/+42", http.StatusOK, 42},
		{"largest", "/materials/9223372036854775807", http.StatusOK, 9223372036854775807},
		{"escaped", "/materials/%342", http.StatusOK, 42},
		{"too large", "/materials/9223372036854775808", http.StatusBadRequest, -1},
		{"not a number", "/materials/abc", http.StatusBadRequest, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := int64(-1)
			w := serveStrict(t, idRecorder{got: &got}, http.MethodGet, tt.target, "")
			if w.Code != tt.status || got != tt.want {
				t.Errorf("status %d, bound %d; want %d, %d", w.Code, got, tt.status, tt.want)
			}
		})
	}
}
