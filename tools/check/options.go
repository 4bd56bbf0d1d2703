package check

import "slices"

// Option changes how a run goes.
type Option func(*config)

type config struct {
	identities  []Identity
	only        []string
	skip        []string
	maxExamples int
	shrinkLimit int
	seed        uint64
	curlBase    string
	rejected    []int
	// rejectedFor holds the statuses of WithRejectedStatusesFor, by
	// operationId.
	rejectedFor map[string][]int
	progress    func(Progress)
	stateful    bool
	events      *eventSource
}

func defaults() config {
	return config{
		maxExamples: 100,
		shrinkLimit: DefaultShrinkLimit,
		curlBase:    "http://localhost:8080",
		rejected:    []int{400, 422},
		stateful:    true,
	}
}

// WithToken sends token as the bearer token of every request that needs
// one: the run has one identity, without a name or a tenant. With a
// single token, the missing-scope part of auth_enforced is skipped: it
// needs a token without the scope.
func WithToken(token string) Option {
	return WithIdentities(Identity{Token: token})
}

// WithTokenFactory mints a bearer token granting exactly scopes, for one
// identity without a name or a tenant. It is how in-process runs reach
// every operation and probe missing scopes.
func WithTokenFactory(mint func(scopes []string) string) Option {
	return WithIdentities(Identity{Mint: mint})
}

// WithChecks runs only the named checks (see Checks).
func WithChecks(names ...string) Option {
	return func(c *config) { c.only = append(c.only, names...) }
}

// WithoutChecks switches the named checks off.
func WithoutChecks(names ...string) Option {
	return func(c *config) { c.skip = append(c.skip, names...) }
}

// WithMaxExamples sets how many cases each property draws before it
// passes (100 by default). The requests broken on purpose share them out,
// one property per way of breaking a request, each with at least five.
func WithMaxExamples(n int) Option {
	return func(c *config) { c.maxExamples = n }
}

// DefaultShrinkLimit is how many requests shrinking one failure may send
// unless WithShrinkLimit says otherwise.
const DefaultShrinkLimit = 5000

// WithShrinkLimit bounds the requests that shrinking one failure sends
// (DefaultShrinkLimit by default; 0 reports the first failing case as it
// came). Shrinking stops when it has sent n, or sooner when no smaller
// case fails; the case that is running when the limit is reached runs to
// its end. The bound is a count and not a time so that a seed replays
// the same reproduction on any machine.
func WithShrinkLimit(n int) Option {
	return func(c *config) { c.shrinkLimit = n }
}

// WithSeed fixes the seed, to replay a run; 0 draws a random one.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = seed }
}

// WithCurlBase sets the URL printed curl commands point at when the
// target is in-process ("http://localhost:8080" by default).
func WithCurlBase(base string) Option {
	return func(c *config) { c.curlBase = base }
}

// WithRejectedStatuses sets which statuses count as rejecting a valid
// request in valid_accepted (400 and 422 by default): the statuses that
// mean the input broke the schema. A status the API also answers for a
// rule the schema cannot state (422 for a business rule) is left out.
func WithRejectedStatuses(statuses ...int) Option {
	return func(c *config) { c.rejected = statuses }
}

// WithRejectedStatusesFor sets the statuses that count as rejecting a
// valid request of the operation called operationID (its operationId, or
// "METHOD /path" without one), in place of WithRejectedStatuses' for it:
// an API whose createQuote alone answers 422 for a business rule names
// 400 for createQuote and keeps 400 and 422 for the rest. No status
// (WithRejectedStatusesFor(id)) means no answer of the operation fails
// valid_accepted. The run refuses an operation the spec does not have.
func WithRejectedStatusesFor(operationID string, statuses ...int) Option {
	return func(c *config) {
		if c.rejectedFor == nil {
			c.rejectedFor = map[string][]int{}
		}
		c.rejectedFor[operationID] = append([]int{}, statuses...)
	}
}

// rejectedBy returns the statuses that mean a schema refusal on the
// operation op.
func (c *config) rejectedBy(op string) []int {
	if s, ok := c.rejectedFor[op]; ok {
		return s
	}
	return c.rejected
}

// WithoutStateful skips the stateful run (create, update, delete
// sequences); the stateful checks are then reported skipped.
func WithoutStateful() Option {
	return func(c *config) { c.stateful = false }
}

// Progress reports how far a run is, once per finished property.
type Progress struct {
	// Operation is the operation the property exercised, or "stateful".
	Operation string
	// Phase names the property: examples, positive, negative, auth,
	// method, stateful.
	Phase string
	// Done and Total count the properties of the operation.
	Done, Total int
}

// WithProgress calls report after every property, for progress bars.
func WithProgress(report func(Progress)) Option {
	return func(c *config) { c.progress = report }
}

// enabled reports whether the check called name runs.
func (c *config) enabled(name string) bool {
	if len(c.only) > 0 && !slices.Contains(c.only, name) {
		return false
	}
	return !slices.Contains(c.skip, name)
}

// auth returns the credential of the first identity granting scopes, the
// one the stateless properties send, or none when no identity was given.
func (c *config) auth(scopes []string) credential {
	if len(c.identities) == 0 {
		return credential{}
	}
	return c.identities[0].credential(scopes)
}
