package telemetry

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/charterhq/charter/stories/story"
)

// Story returns a story middleware that runs each run of the story it
// wraps in a span named after the story, a child of the span in the
// context (the request's, under Middleware), and each step, substories'
// steps included, in a span of its own named after the step, so that
// what a step calls (another service, through Transport) hangs under it.
// A run that ended with an internal error is marked as an error; a
// declared failure is a business answer, recorded as the span's outcome
// and reason but not marked.
//
// Under a span that is not recorded (a trace nobody sampled) it starts no
// spans: they could not be recorded either, and the trace ID, all that
// travels, is the parent's.
func (t *Tracing) Story() story.Middleware {
	return func(ctx context.Context, name string, next func(context.Context) error) error {
		if unrecorded(ctx) {
			return next(ctx)
		}
		ctx, span := t.tracer.Start(ctx, name)
		defer span.End()
		if !span.IsRecording() {
			return next(ctx) // its steps could not be recorded either
		}
		err := next(story.WithStepObserver(ctx, &t.steps))
		endSpan(span, name, err)
		return err
	}
}

// unrecorded reports whether ctx holds a span that is not recorded. A
// context with no span at all is not: a story run outside a request
// starts a trace of its own, as the sampler decides.
func unrecorded(ctx context.Context) bool {
	span := trace.SpanFromContext(ctx)
	return span.SpanContext().IsValid() && !span.IsRecording()
}

// startStep is the Start hook of the step observer Story installs.
func (t *Tracing) startStep(ctx context.Context, _, step string) context.Context {
	if !trace.SpanFromContext(ctx).IsRecording() {
		return ctx
	}
	ctx, _ = t.tracer.Start(ctx, step)
	return ctx
}

// endStep is the End hook of the step observer Story installs. The span
// in ctx is the one startStep started, or, when it started none, the
// story's unrecorded one, which is left alone.
func (t *Tracing) endStep(ctx context.Context, storyName, _ string, err error, _ time.Duration) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	endSpan(span, storyName, err)
	span.End()
}

// endSpan records the story, the outcome of a story run or step, and its
// failure on span.
func endSpan(span trace.Span, storyName string, err error) {
	outcome, reason := classify(err)
	span.SetAttributes(attrStory.String(storyName), attrOutcome.String(outcomes[outcome]))
	switch outcome {
	case declared:
		span.SetAttributes(attrReason.String(reason.Error()))
	case internal:
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
}
