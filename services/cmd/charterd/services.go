package main

import (
	"github.com/charterhq/charter/services/materials"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/quotes"
)

// services are every service this binary can run, in no particular order:
// the host builds each after the services it calls.
func services() []host.Service {
	return []host.Service{
		materials.Service(),
		quotes.Service(),
	}
}
