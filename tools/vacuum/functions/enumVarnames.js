// enumVarnames: an enum schema whose values are not all plain identifiers
// (an ordering such as "-name", a value with a dot or a hyphen) names its
// constants with x-enum-varnames, one PascalCase name per value, so that
// the generators of every SDK (oapi-codegen, openapi-typescript with
// enums, openapi-python-client) name them alike and readably rather than
// as Minus-something or VALUE_3.
function runRule(input) {
  if (input === null || typeof input !== "object" || !Array.isArray(input.enum)) {
    return [];
  }
  var plain = /^[a-z][a-z0-9_]*$/;
  var needs = input.enum.some(function (v) { return typeof v !== "string" || !plain.test(v); });
  var names = input["x-enum-varnames"];
  if (names === undefined) {
    if (!needs) {
      return [];
    }
    return [{ message: "enum " + JSON.stringify(input.enum) + " has values that are not identifiers: name each with x-enum-varnames" }];
  }
  if (!Array.isArray(names) || names.length !== input.enum.length) {
    return [{ message: "x-enum-varnames must name each of the " + input.enum.length + " enum values, in their order" }];
  }
  var pascal = /^[A-Z][A-Za-z0-9]*$/;
  var seen = {};
  var out = [];
  names.forEach(function (n) {
    if (typeof n !== "string" || !pascal.test(n)) {
      out.push({ message: "x-enum-varnames entry " + JSON.stringify(n) + " is not a PascalCase identifier" });
    } else if (seen[n]) {
      out.push({ message: "x-enum-varnames names " + n + " twice" });
    }
    seen[n] = true;
  });
  return out;
}
