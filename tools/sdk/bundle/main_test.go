package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/quotes"
)

// TestBundleIsWhatTheServiceServes checks that the document the SDKs are
// generated from is the one each service serves at /openapi.json.
func TestBundleIsWhatTheServiceServes(t *testing.T) {
	for _, s := range []host.Service{materials.Service(), quotes.Service()} {
		t.Run(s.Name, func(t *testing.T) {
			served, err := s.SpecJSON()
			if err != nil {
				t.Fatal(err)
			}
			bundled, err := bundle("../../../api/" + s.Name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(canonical(t, served), canonical(t, bundled)) {
				t.Errorf("the bundled api/%s.yaml differs from the served /openapi.json:\nserved:  %.400s\nbundled: %.400s", s.Name, served, bundled)
			}
		})
	}
}

// canonical re-encodes a JSON document with its keys sorted.
func canonical(t *testing.T, doc []byte) []byte {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
