package quotes

// The stories check a quote's state before they write, so that a request
// that cannot succeed fails at a step that says why; the repository checks
// again in the write itself, for the request that raced another.

// draftOnly returns ErrNotDraft unless q is a draft.
func draftOnly(q Quote) error {
	if q.State != Draft {
		return ErrNotDraft
	}
	return nil
}

// submittedOnly returns ErrNotSubmitted unless q is submitted.
func submittedOnly(q Quote) error {
	if q.State != Submitted {
		return ErrNotSubmitted
	}
	return nil
}
