package diff

// Rule describes one kind of finding.
type Rule struct {
	// ID is stable: ignore files and dashboards refer to it.
	ID string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// What says in a few words what the rule detects.
	What string
}

// The rule ids. They never change meaning; a new check gets a new id.
const (
	RulePathRemoved                   = "path-removed"
	RuleOperationRemoved              = "operation-removed"
	RuleParameterRequiredAdded        = "parameter-required-added"
	RuleParameterBecameRequired       = "parameter-became-required"
	RuleParameterRemoved              = "parameter-removed"
	RuleParameterRenamed              = "parameter-renamed"
	RuleParameterMoved                = "parameter-moved"
	RuleParameterSerializationChanged = "parameter-serialization-changed"
	RuleRequestBodyBecameRequired     = "request-body-became-required"
	RuleRequestMediaTypeRemoved       = "request-media-type-removed"
	RuleRequestPropertyRequiredAdded  = "request-property-required-added"
	RuleRequestPropertyBecameReq      = "request-property-became-required"
	RuleRequestTypeChanged            = "request-type-changed"
	RuleRequestConstraintNarrowed     = "request-constraint-narrowed"
	RuleRequestEnumValueRemoved       = "request-enum-value-removed"
	RuleRequestAdditionalPropsClosed  = "request-additional-properties-closed"
	RuleRequestVariantRemoved         = "request-variant-removed"
	RuleRequestDefaultChanged         = "request-default-changed"
	RuleSchemaConditionalChanged      = "schema-conditional-changed"
	RuleResponseStatusRemoved         = "response-status-removed"
	RuleResponseMediaTypeRemoved      = "response-media-type-removed"
	RuleResponseHeaderRemoved         = "response-header-removed"
	RuleResponseHeaderOptional        = "response-header-became-optional"
	RuleResponsePropertyRemoved       = "response-property-removed"
	RuleResponseTypeChanged           = "response-type-changed"
	RuleResponseConstraintWidened     = "response-constraint-widened"
	RuleResponsePropertyOptional      = "response-property-became-optional"
	RuleResponsePropertyNullable      = "response-property-became-nullable"
	RuleSecurityRequirementAdded      = "security-requirement-added"
	RuleSecurityScopesAdded           = "security-scopes-added"
	RuleSDKIncompatible               = "sdk-incompatible"
	RuleSDKTypeMoved                  = "sdk-type-moved"
	RuleSpecRemoved                   = "spec-removed"
	RuleWebhookRemoved                = "webhook-removed"
	RuleCallbackRemoved               = "callback-removed"
	RuleCallbackParameterRemoved      = "callback-parameter-removed"
	RuleResponseEnumValueReplaced     = "response-enum-value-replaced"
	RuleRequestConstraintChanged      = "request-constraint-changed"
	RuleResponseConstraintChanged     = "response-constraint-changed"

	RuleResponseEnumValueAdded  = "response-enum-value-added"
	RuleResponseVariantAdded    = "response-variant-added"
	RuleDeprecatedWithoutSunset = "deprecated-without-sunset"
	RuleOperationIDChanged      = "operation-id-changed"
	RuleRequestPropertyRemoved  = "request-property-removed"
	RuleRequestBodyRemoved      = "request-body-removed"

	RuleSunsetRemoval           = "sunset-removal"
	RuleDeprecated              = "deprecated"
	RulePathAdded               = "path-added"
	RuleOperationAdded          = "operation-added"
	RuleParameterAdded          = "parameter-added"
	RulePathParameterRenamed    = "path-parameter-renamed"
	RuleRequestBodyAdded        = "request-body-added"
	RuleRequestMediaTypeAdded   = "request-media-type-added"
	RuleRequestPropertyAdded    = "request-property-added"
	RuleRequestWidened          = "request-widened"
	RuleResponseStatusAdded     = "response-status-added"
	RuleResponseHeaderAdded     = "response-header-added"
	RuleResponseMediaTypeAdded  = "response-media-type-added"
	RuleResponsePropertyAdded   = "response-property-added"
	RuleResponseNarrowed        = "response-narrowed"
	RuleSecurityRelaxed         = "security-relaxed"
	RuleSpecAdded               = "spec-added"
	RuleWebhookAdded            = "webhook-added"
	RuleCallbackAdded           = "callback-added"
	RuleCallbackParameterAdded  = "callback-parameter-added"
	RuleSDKInterfaceMethodAdded = "sdk-interface-method-added"
)

// Rules is the catalogue of every rule, in the order of the documentation.
// The request-* rules judge values the client writes and the API reads,
// the response-* rules values the API writes and the client reads: in a
// callback or a webhook the API writes the request and the client the
// answer, so the roles swap (see doc.go, "Callbacks and webhooks").
var Rules = []Rule{
	{RulePathRemoved, Error, "a path and all its operations removed"},
	{RuleOperationRemoved, Error, "an operation removed from a path that remains"},
	{RuleParameterRequiredAdded, Error, "a new required parameter (query, header, cookie, path)"},
	{RuleParameterBecameRequired, Error, "an optional parameter made required"},
	{RuleParameterRemoved, Error, "a parameter removed: what the client sends is silently ignored"},
	{RuleParameterRenamed, Error, "a parameter renamed (same location and schema, new name)"},
	{RuleParameterMoved, Error, "a parameter moved to another location (query, header, path, cookie)"},
	{RuleParameterSerializationChanged, Error, "how a parameter is written on the wire changed (style, explode, content, allowReserved removed)"},
	{RuleRequestBodyBecameRequired, Error, "a request body added as required, or made required"},
	{RuleRequestMediaTypeRemoved, Error, "a request media type no longer accepted"},
	{RuleRequestPropertyRequiredAdded, Error, "a new required request property"},
	{RuleRequestPropertyBecameReq, Error, "an optional request property made required"},
	{RuleRequestTypeChanged, Error, "a request type changed to one that does not accept all old values"},
	{RuleRequestConstraintNarrowed, Error, "a request constraint narrowed (min/max, length, items, pattern, format, null, const, prefixItems, if/then/else)"},
	{RuleRequestEnumValueRemoved, Error, "a request enum value removed"},
	{RuleRequestAdditionalPropsClosed, Error, "additionalProperties closed on a request object"},
	{RuleRequestVariantRemoved, Error, "a oneOf/anyOf alternative removed from a request"},
	{RuleRequestDefaultChanged, Error, "the default the server applies to an omitted input changed"},
	{RuleSchemaConditionalChanged, Error, "the if of an if/then/else changed: the gate cannot tell what it accepts, review it"},
	{RuleResponseStatusRemoved, Error, "a response status code removed"},
	{RuleResponseMediaTypeRemoved, Error, "a response media type removed"},
	{RuleResponseHeaderRemoved, Error, "a response header removed"},
	{RuleResponseHeaderOptional, Error, "a required response header made optional: no longer always sent"},
	{RuleResponsePropertyRemoved, Error, "a response property removed"},
	{RuleResponseTypeChanged, Error, "a response type changed to one old clients do not read"},
	{RuleResponseConstraintWidened, Error, "a response constraint widened (max, length, pattern, format, const, prefixItems, if/then/else...)"},
	{RuleResponsePropertyOptional, Error, "a required response property made optional"},
	{RuleResponsePropertyNullable, Error, "a response value may now be null"},
	{RuleSecurityRequirementAdded, Error, "a security requirement added (a client's credentials no longer suffice)"},
	{RuleSecurityScopesAdded, Error, "scopes added to a security requirement"},
	{RuleSDKIncompatible, Error, "the generated Go client changed incompatibly (renamed type, field, method, constant): listed apart from wire breaks, and fails the gate only with --sdk fail"},
	{RuleSDKTypeMoved, Warning, "a type of the generated Go client moved, unchanged, to a package it imports (import-mapping, e.g. gen/shared): code that names it must import that package"},
	{RuleSpecRemoved, Error, "a whole spec file removed"},
	{RuleWebhookRemoved, Error, "a webhook, or one of its operations, removed: the API no longer sends it"},
	{RuleCallbackRemoved, Error, "a callback of an operation, or one of its operations, removed: the API no longer calls the client back there"},
	{RuleCallbackParameterRemoved, Error, "a parameter the API sends with a callback or webhook removed, or no longer always sent"},
	{RuleResponseEnumValueReplaced, Error, "a response enum lost values and gained others: what a client used to get is now a value it does not know"},
	{RuleRequestConstraintChanged, Error, "a request constraint changed to one that refuses some old values (two patterns, consts or multipleOf steps neither of which includes the other)"},
	{RuleResponseConstraintChanged, Error, "a response constraint changed to one that allows values the old one did not (two patterns, consts or multipleOf steps neither of which includes the other)"},
	{RuleResponseEnumValueAdded, Warning, "a response enum widened (strict clients break)"},
	{RuleResponseVariantAdded, Warning, "a oneOf/anyOf alternative added to a response"},
	{RuleDeprecatedWithoutSunset, Warning, "an operation, parameter or request property deprecated without x-sunset"},
	{RuleOperationIDChanged, Warning, "operationId changed (generated method names change)"},
	{RuleRequestPropertyRemoved, Warning, "a request property removed: the API ignores what the client sends"},
	{RuleRequestBodyRemoved, Error, "the request body removed: what the client sends is silently ignored"},
	{RuleSunsetRemoval, Info, "a deprecated element removed after its x-sunset date"},
	{RuleDeprecated, Info, "an element deprecated with an x-sunset date"},
	{RulePathAdded, Info, "a new path"},
	{RuleOperationAdded, Info, "a new operation on an existing path"},
	{RuleParameterAdded, Info, "a new optional parameter"},
	{RulePathParameterRenamed, Info, "a path parameter renamed (nothing changes on the wire)"},
	{RuleRequestBodyAdded, Info, "a new optional request body"},
	{RuleRequestMediaTypeAdded, Info, "a new request media type"},
	{RuleRequestPropertyAdded, Info, "a new optional request property"},
	{RuleRequestWidened, Info, "a request accepts more (wider type, constraint, enum, variant, optional)"},
	{RuleResponseStatusAdded, Info, "a new response status code"},
	{RuleResponseHeaderAdded, Info, "a new response header"},
	{RuleResponseMediaTypeAdded, Info, "a new response media type"},
	{RuleResponsePropertyAdded, Info, "a new response property"},
	{RuleResponseNarrowed, Info, "a response returns less (narrower constraint, fewer enum values)"},
	{RuleSecurityRelaxed, Info, "a security requirement relaxed"},
	{RuleSpecAdded, Info, "a new spec file"},
	{RuleWebhookAdded, Info, "a new webhook, or a new operation of one"},
	{RuleCallbackAdded, Info, "a new callback of an operation, or a new operation of one"},
	{RuleCallbackParameterAdded, Info, "a new parameter the API sends with a callback or webhook"},
	{RuleSDKInterfaceMethodAdded, Info, "an interface of the generated Go client gained methods: callers are unaffected, a type written to implement it must add them"},
}

// ruleSeverity maps rule ids to their severities.
var ruleSeverity = func() map[string]Severity {
	m := make(map[string]Severity, len(Rules))
	for _, r := range Rules {
		m[r.ID] = r.Severity
	}
	return m
}()

// RuleSeverity returns the severity of a rule id, and false for an unknown id.
func RuleSeverity(id string) (Severity, bool) {
	s, ok := ruleSeverity[id]
	return s, ok
}
