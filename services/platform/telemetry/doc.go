// Package telemetry gives every Charter service what its operators watch
// it by, written once: Prometheus metrics and OpenTelemetry traces of its
// HTTP operations and of its stories, down to each step.
//
// Metrics (NewMetrics) records, with the service's name in the service
// label, in a registry of its own or one shared by the services of a
// process:
//
//	charter_http_requests_total{operation,class,code}   Middleware
//	charter_http_request_errors_total{operation}         5xx answers and panics
//	charter_http_request_duration_seconds{operation}     histogram
//	charter_story_runs_total{story,outcome}              Story; outcome is ok, declared or internal
//	charter_story_failures_total{story,reason}           declared failures by reason
//	charter_story_duration_seconds{story}                histogram
//	charter_story_steps_total{story,step,outcome}        each step: rate and errors
//	charter_story_step_duration_seconds{story,step}      histogram
//
// plus the Go runtime and process collectors, all served by Handler. The
// operation is the OpenAPI operationId the contract accepted the request
// as, the chi route pattern for a route outside the contract, or
// Unmatched: never the raw path.
//
// Tracing (NewTracing) propagates W3C trace context and baggage, and
// exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
// Its Middleware starts the request's span, Story a span per story run
// and per step, and Transport a client span per outgoing call, so that a
// call from one service to another continues one trace. LogHandler puts
// the trace and span IDs on log lines.
//
// Mounting, on the router a service is served through edge.Root (the
// contract fills in the operation below these middleware):
//
//	metrics, err := telemetry.NewMetrics("materials", telemetry.MetricsOptions{})
//	tracing, err := telemetry.NewTracing(ctx, "materials", telemetry.TracingOptions{})
//	tracing.Install()                     // once per process
//	defer tracing.Shutdown(shutdownCtx)   // after the server stopped: flushes the spans
//
//	r := chi.NewRouter()
//	r.Use(tracing.Middleware, metrics.Middleware, edge.AccessLog(logger), edge.Recover(logger))
//	r.Handle("/metrics", metrics.Handler())
//	handler := edge.Root(r)
//
//	get := getStory.With(metrics.Story(), tracing.Story())    // in the injector, with its other middleware
//	client := &http.Client{Transport: tracing.Transport(nil)} // calls to other services
//	logger := slog.New(telemetry.LogHandler(slog.NewJSONHandler(os.Stderr, nil)))
//
// Tracing.Middleware goes first so that the access log logs inside the
// request's span; both go before Recover so that they see the 500 a
// panic becomes. Both story middleware see each step through a
// story.StepObserver they install in the run's context. The package
// Example mounts it all on a router and shows what /metrics then says.
package telemetry
