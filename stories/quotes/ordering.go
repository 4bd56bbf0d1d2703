package quotes

// orderings is the allow-list of orderings a caller may ask for: each
// sortable field, plain for ascending and with a leading "-" for
// descending. Caller text is only ever a key here, never passed on.
var orderings = func() map[string]Order {
	m := map[string]Order{"": {By: ByID}}
	for _, f := range SortableFields {
		m[string(f)] = Order{By: f}
		m["-"+string(f)] = Order{By: f, Descending: true}
	}
	return m
}()

// ParseOrdering returns the order an ordering such as "created_at" or
// "-updated_at" stands for; "" orders by ID. Returns ErrInvalidOrdering
// for anything else.
func ParseOrdering(s string) (Order, error) {
	o, ok := orderings[s]
	if !ok {
		return Order{}, ErrInvalidOrdering
	}
	return o, nil
}
