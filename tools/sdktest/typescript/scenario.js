// @ts-check
// What every scenario shares: where the services run and the tokens of
// the demo roles, which go test ./tools/sdktest sets in the environment.
import { randomUUID } from "node:crypto";

/**
 * Returns the environment variable name, or throws saying how to run the
 * scenarios.
 * @param {string} name
 */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the scenarios with go test ./tools/sdktest, which starts charterd`);
  }
  return value;
}

/** The demo tokens: staff, and the external user and viewer of company 1. */
export const tokens = {
  staff: env("CHARTER_TOKEN_STAFF"),
  external: env("CHARTER_TOKEN_EXTERNAL"),
  viewer: env("CHARTER_TOKEN_VIEWER"),
};

/** The company of the external user and the viewer, and another one. */
export const ownCompany = 1;
export const otherCompany = 2;

/**
 * A name no other run of the scenarios uses.
 * @param {string} what
 */
export function unique(what) {
  return `${what} ${randomUUID().slice(0, 8)}`;
}

/**
 * The ETag of a response, which every write that declares If-Match needs.
 * @param {Response} response
 */
export function etag(response) {
  const tag = response.headers.get("ETag");
  if (!tag) {
    throw new Error(`${response.url} answered ${response.status} without an ETag`);
  }
  return tag;
}
