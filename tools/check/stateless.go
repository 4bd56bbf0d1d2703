package check

import (
	"net/http"
	"slices"
	"time"

	"pgregory.net/rapid"
)

// accepted checks valid_accepted on a response of o to a valid request.
func (r *runner) accepted(o *operation, res *response) verdict {
	if slices.Contains(r.cfg.rejectedBy(o.id), res.status) {
		return fail(ValidAccepted, "a valid request was rejected with %d: %s", res.status, snippet(res.body))
	}
	return pass(ValidAccepted)
}

// examples sends the request made of the spec's examples first: it is
// what the spec's author expects to work.
func (r *runner) examples(o *operation) {
	v, ok := o.example()
	if !ok {
		return
	}
	req := o.build(v, r.cfg.auth(o.scopes))
	res, err := r.send(req)
	if err != nil {
		r.broken(err)
		return
	}
	vs := append(o.conform(req, res), r.accepted(o, res))
	for _, vd := range vs {
		if !r.cfg.enabled(vd.check) {
			continue
		}
		if vd.ok {
			r.report.mark(o.id, vd.check, Passed)
			continue
		}
		r.failure(Failure{Check: vd.check, Operation: o.id, Seed: r.seed, Message: "spec example: " + vd.why,
			Requests: []Request{req}, Steps: steps([]Request{req}, []*response{res}), Base: r.base, FoundAfter: time.Since(r.start), FoundAfterRequests: r.report.Requests})
	}
}

// positive sends valid requests and checks the responses.
func (r *runner) positive(o *operation) {
	checks := r.checksOf(append(slices.Clone(responseChecks), ValidAccepted)...)
	p := &property{r: r, name: o.id + "/positive", checks: checks}
	auth := r.cfg.auth(o.scopes)
	p.run(func(c *caseRun) {
		req := o.build(o.draw(c.t, nil), auth)
		res := c.send(req)
		c.verify(o.id, o.conform(req, res)...)
		c.verify(o.id, r.accepted(o, res))
	})
}

// negative sends requests that break exactly one constraint and expects
// a 4xx for each. Each way of breaking the request is a property of its
// own, with its share of the examples and a seed of its own: drawn from
// one property, a kind among twenty went untried in about one run in a
// hundred, and the bug only it shows went unseen; with one seed, every
// kind would break the same few requests.
func (r *runner) negative(o *operation) {
	bad := o.gens().bad
	if len(bad) == 0 {
		return
	}
	// invalid_rejected goes first: an invalid input that gets through
	// tends to break the response too, and the acceptance is the bug.
	checks := r.checksOf(append([]string{InvalidRejected}, responseChecks...)...)
	auth := r.cfg.auth(o.scopes)
	// At least minShare cases each, so that go test -short, where rapid
	// draws a fifth of them, still tries every kind.
	share := max((r.cfg.maxExamples+len(bad)-1)/len(bad), minShare)
	for i, b := range bad {
		if len(checks) == 0 || r.stopped() {
			return
		}
		p := &property{r: r, name: o.id + "/negative/" + b.what, checks: checks,
			examples: share, seed: r.seed + uint64(i+1)*kindSeedStride}
		r.breakOne(p, o, b, auth)
		checks = p.checks
	}
}

// minShare is the fewest cases a kind of broken request gets.
const minShare = 5

// kindSeedStride sets the seeds of the kinds of broken requests apart.
// rapid gives the k-th case of a property its seed plus 0+1+...+k, so
// kinds whose seeds are a prime far above that sum draw different cases.
const kindSeedStride = 1_000_003

// breakOne runs p over requests of o broken by b.
func (r *runner) breakOne(p *property, o *operation, b badInput, auth credential) {
	p.run(func(c *caseRun) {
		v := o.draw(c.t, nil)
		if !b.apply(c.t, v) {
			c.t.Skip("nothing to break")
		}
		req := o.build(v, auth)
		res := c.send(req)
		if res.status < 400 || res.status >= 500 {
			c.verify(o.id, fail(InvalidRejected, "invalid input (%s) got %d, want 4xx: %s", b.what, res.status, snippet(res.body)))
		} else {
			c.verify(o.id, pass(InvalidRejected))
		}
		c.verify(o.id, o.conform(req, res)...)
	})
}

// authMode is one way of calling without the right credentials.
type authMode struct {
	name   string
	header func(o *operation) credential
	want   int
}

// auth calls protected operations without a token, with a bad one and
// with one lacking a needed scope.
func (r *runner) auth(o *operation) {
	if !o.protected {
		return
	}
	modes := []authMode{
		{"no token", func(*operation) credential { return credential{} }, http.StatusUnauthorized},
		{"a malformed token", func(*operation) credential { return credential{header: "Bearer not-a-token"} }, http.StatusUnauthorized},
	}
	if len(r.cfg.identities) > 0 && r.cfg.identities[0].Mint != nil && len(o.scopes) > 0 {
		modes = append(modes, authMode{"a token without scope " + o.scopes[0], func(o *operation) credential {
			return r.cfg.identities[0].lacking(o.scopes[0], o.scopes[1:])
		}, http.StatusForbidden})
	}
	checks := r.checksOf(append([]string{AuthEnforced}, responseChecks...)...)
	p := &property{r: r, name: o.id + "/auth", checks: checks}
	p.run(func(c *caseRun) {
		m := modes[rapid.IntRange(0, len(modes)-1).Draw(c.t, "auth")]
		req := o.build(o.draw(c.t, nil), m.header(o))
		res := c.send(req)
		if res.status != m.want {
			c.verify(o.id, fail(AuthEnforced, "%s %s with %s got %d, want %d", o.method, o.path, m.name, res.status, m.want))
		} else {
			c.verify(o.id, pass(AuthEnforced))
		}
		c.verify(o.id, o.conform(req, res)...)
	})
}

// methods sends the methods a path does not define and expects 405. It
// runs once per path, from the path's first operation, and its outcome
// counts for every operation of the path.
func (r *runner) methods(o *operation) {
	var siblings []*operation
	for _, s := range r.ops {
		if s.path == o.path {
			siblings = append(siblings, s)
		}
	}
	if siblings[0] != o || !r.cfg.enabled(MethodNotAllowed) {
		return
	}
	var missing []string
	for _, m := range methods {
		if !slices.ContainsFunc(siblings, func(s *operation) bool { return s.method == m }) {
			missing = append(missing, m)
		}
	}
	if len(missing) == 0 {
		return
	}
	p := &property{r: r, name: o.path + "/methods", checks: []string{MethodNotAllowed}}
	p.run(func(c *caseRun) {
		m := missing[rapid.IntRange(0, len(missing)-1).Draw(c.t, "method")]
		req := o.build(o.draw(c.t, nil), r.cfg.auth(o.scopes))
		req.Method, req.Operation = m, m+" "+o.path
		req.Header.Del("Content-Type")
		req.Body = nil
		res := c.send(req)
		for _, s := range siblings {
			if res.status != http.StatusMethodNotAllowed {
				c.verify(s.id, fail(MethodNotAllowed, "%s %s got %d, want 405", m, o.path, res.status))
			} else {
				c.verify(s.id, pass(MethodNotAllowed))
			}
		}
	})
}
