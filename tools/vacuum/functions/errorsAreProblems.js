// errorsAreProblems: every 4xx and 5xx response of an operation is an
// RFC 9457 problem document, application/problem+json, and nothing else,
// so that each SDK reads every error as the one Problem type.
function runRule(input) {
  if (input === null || typeof input !== "object") {
    return [];
  }
  var out = [];
  Object.keys(input).forEach(function (status) {
    if (!/^[45]/.test(status)) {
      return;
    }
    var content = (input[status] || {}).content || {};
    var types = Object.keys(content);
    if (types.length !== 1 || types[0] !== "application/problem+json") {
      out.push({ message: "response " + status + " must carry application/problem+json only, not " + (types.length ? types.join(", ") : "no body") });
    }
  });
  return out;
}
