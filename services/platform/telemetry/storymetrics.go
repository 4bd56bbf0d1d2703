package telemetry

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/charterhq/charter/stories/story"
)

// Outcomes of a story run or step, the values of the outcome label.
const (
	// OutcomeOK is a run or step that succeeded, Done and Skip included.
	OutcomeOK = "ok"
	// OutcomeDeclared is one that ended with one of the story's declared
	// failure reasons: a business answer such as "not found".
	OutcomeDeclared = "declared"
	// OutcomeInternal is one that ended with any other error: a defect
	// or an outage, what an operator is paged for.
	OutcomeInternal = "internal"
)

// Story returns a story middleware that records each run of the story it
// wraps: its count by outcome, its declared failures by reason, and its
// duration; and each step of the run, substories' steps included: its
// count by outcome and its duration. Give it to the story's With, with
// the other middleware of the injector.
func (m *Metrics) Story() story.Middleware {
	return func(ctx context.Context, name string, next func(context.Context) error) error {
		sm := m.stories.get(name)
		start := now()
		err := next(story.WithStepObserver(ctx, &m.stepObserver))
		took := now() - start
		outcome, reason := classify(err)
		sm.outcomes[outcome].Inc()
		if reason != nil {
			sm.reasons.get(reason.Error()).Inc()
		}
		sm.duration.Observe(took.Seconds())
		return err
	}
}

// endStep is the End hook of the step observer Story installs.
func (m *Metrics) endStep(_ context.Context, storyName, step string, err error, took time.Duration) {
	sm := m.stepMetrics.get(stepKey{storyName, step})
	outcome, _ := classify(err)
	sm.outcomes[outcome].Inc()
	sm.duration.Observe(took.Seconds())
}

// classify returns the outcome of a story run or step from its error, and
// the declared reason it failed with, if any.
func classify(err error) (outcome int, reason error) {
	if err == nil || errors.Is(err, story.Done) || errors.Is(err, story.Skip) {
		return ok, nil
	}
	var f *story.Failed
	if errors.As(err, &f) && f.Reason != nil {
		return declared, f.Reason
	}
	// An error that is not a *Failed comes from a middleware inside this
	// one (a transaction that did not commit): internal too.
	return internal, nil
}

// The indexes of the outcome counters, in outcomes' order.
const (
	ok = iota
	declared
	internal
)

var outcomes = [...]string{ok: OutcomeOK, declared: OutcomeDeclared, internal: OutcomeInternal}

// storyMetrics are the metrics of one story, bound to its labels once.
type storyMetrics struct {
	outcomes [len(outcomes)]prometheus.Counter
	reasons  *cache[string, prometheus.Counter]
	duration prometheus.Observer
}

func (m *Metrics) newStoryMetrics(name string) *storyMetrics {
	sm := &storyMetrics{
		duration: m.storyDuration.WithLabelValues(name),
		reasons: newCache(func(reason string) prometheus.Counter {
			return m.failures.WithLabelValues(name, reason)
		}),
	}
	for i, o := range outcomes {
		sm.outcomes[i] = m.runs.WithLabelValues(name, o)
	}
	return sm
}

type stepKey struct{ story, step string }

// stepMetrics are the metrics of one step of one story.
type stepMetrics struct {
	outcomes [len(outcomes)]prometheus.Counter
	duration prometheus.Observer
}

func (m *Metrics) newStepMetrics(k stepKey) *stepMetrics {
	sm := &stepMetrics{duration: m.stepDuration.WithLabelValues(k.story, k.step)}
	for i, o := range outcomes {
		sm.outcomes[i] = m.steps.WithLabelValues(k.story, k.step, o)
	}
	return sm
}
