// @ts-check
// An integrator's use of @charterhq/quotes-sdk against a running server,
// quoting a material made with @charterhq/materials-sdk.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createClient as createMaterialsClient } from "@charterhq/materials-sdk";
import { createClient, version } from "@charterhq/quotes-sdk";
import { env, etag, otherCompany, ownCompany, tokens, unique } from "./scenario.js";

/** @typedef {import("@charterhq/quotes-sdk").NewQuoteLine} NewQuoteLine */
/** @typedef {import("@charterhq/quotes-sdk").Quote} Quote */

const baseUrl = env("CHARTER_QUOTES_URL");
const staff = createClient({ baseUrl, token: tokens.staff });
const external = createClient({ baseUrl, token: tokens.external });
const viewer = createClient({ baseUrl, token: tokens.viewer });
const materials = createMaterialsClient({ baseUrl: env("CHARTER_MATERIALS_URL"), token: tokens.external });

/** A priced material of the external user's company, which the lines cut. */
let materialId = 0;

before(async () => {
  const { data, error } = await materials.POST("/materials", {
    body: { name: unique("TS quoted"), quality: "steel", thickness: 2, price_per_square_metre: { amount: 2000, currency: "EUR" } },
  });
  assert.ok(data, JSON.stringify(error));
  materialId = data.id;
});

after(async () => {
  await materials.DELETE("/materials/{material_id}", { params: { path: { material_id: materialId } } });
});

/**
 * @param {number} quantity
 * @returns {NewQuoteLine}
 */
function line(quantity) {
  return { material_id: materialId, quantity, width_mm: 1000, height_mm: 500 };
}

/**
 * @param {ReturnType<typeof createClient>} client
 * @param {import("@charterhq/quotes-sdk").NewQuote} body
 * @returns {Promise<Quote>}
 */
async function create(client, body) {
  const { data, error, response } = await client.POST("/quotes", { body });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data);
  return data;
}

test("the package is the version of the spec the server serves", async () => {
  const served = await (await fetch(`${baseUrl}/openapi.json`)).json();
  assert.equal(version, served.info.version);
});

test("create a draft, replace its lines with If-Match, submit it and have staff accept it", async () => {
  const created = await external.POST("/quotes", { body: { lines: [line(2)] } });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const quote = created.data;
  assert.ok(quote);
  assert.equal(quote.state, "draft");
  assert.equal(quote.company_id, ownCompany);
  assert.equal(quote.lines.length, 1);
  const path = { quote_id: quote.id };

  const read = await external.GET("/quotes/{quote_id}", { params: { path } });
  assert.equal(read.response.status, 200);
  assert.deepEqual(read.data, quote);
  const tag = etag(read.response);

  const replaced = await external.PUT("/quotes/{quote_id}/lines", {
    params: { path, header: { "If-Match": tag } },
    body: { lines: [line(4), line(1)] },
  });
  assert.equal(replaced.response.status, 200, JSON.stringify(replaced.error));
  assert.deepEqual(replaced.data?.lines.map((l) => l.quantity), [4, 1]);
  assert.notEqual(etag(replaced.response), tag);

  const lost = await external.PUT("/quotes/{quote_id}/lines", {
    params: { path, header: { "If-Match": tag } },
    body: { lines: [line(9)] },
  });
  assert.equal(lost.response.status, 412);
  assert.equal(lost.error?.status, 412);

  const submitted = await external.POST("/quotes/{quote_id}/submit", { params: { path } });
  assert.equal(submitted.response.status, 200, JSON.stringify(submitted.error));
  const sent = submitted.data;
  assert.ok(sent);
  assert.equal(sent.state, "submitted");
  assert.ok(sent.valid_until && sent.submitted_at);
  // 0.5 m² a part at 20.00 EUR/m²: 10.00 EUR a part, 5 parts.
  assert.deepEqual(sent.lines.map((l) => l.unit_price), [{ amount: 1000, currency: "EUR" }, { amount: 1000, currency: "EUR" }]);
  assert.deepEqual(sent.total, { amount: 5000, currency: "EUR" });

  // A submitted quote cannot be changed: 409.
  const late = await external.PUT("/quotes/{quote_id}/lines", { params: { path }, body: { lines: [line(1)] } });
  assert.equal(late.response.status, 409);
  assert.equal(late.error?.status, 409);

  const accepted = await staff.POST("/quotes/{quote_id}/accept", { params: { path } });
  assert.equal(accepted.response.status, 200, JSON.stringify(accepted.error));
  assert.equal(accepted.data?.state, "accepted");
  assert.ok(accepted.data?.decided_at);
});

test("delete a draft with If-Match", async () => {
  const draft = await create(external, { lines: [line(1)] });
  const path = { quote_id: draft.id };
  const read = await external.GET("/quotes/{quote_id}", { params: { path } });
  const tag = etag(read.response);
  const changed = await external.PUT("/quotes/{quote_id}/lines", { params: { path }, body: { lines: [] } });
  assert.equal(changed.response.status, 200);

  const stale = await external.DELETE("/quotes/{quote_id}", { params: { path, header: { "If-Match": tag } } });
  assert.equal(stale.response.status, 412);
  const deleted = await external.DELETE("/quotes/{quote_id}", {
    params: { path, header: { "If-Match": etag(changed.response) } },
  });
  assert.equal(deleted.response.status, 204);
  const gone = await external.GET("/quotes/{quote_id}", { params: { path } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.status, 404);
});

test("list pages in the order asked for, filtered by state", async () => {
  const made = [];
  for (let i = 0; i < 3; i++) {
    made.push(await create(external, { lines: [line(i + 1)] }));
  }
  try {
    const first = await external.GET("/quotes", { params: { query: { limit: 2, ordering: "-id", state: "draft" } } });
    assert.equal(first.response.status, 200);
    const page1 = first.data;
    assert.ok(page1);
    assert.equal(page1.limit, 2);
    assert.equal(page1.offset, 0);
    assert.deepEqual(page1.items.map((q) => q.id), [made[2].id, made[1].id]);
    assert.ok(page1.count >= 3);

    const second = await external.GET("/quotes", { params: { query: { limit: 2, offset: 2, ordering: "-id", state: "draft" } } });
    assert.equal(second.data?.count, page1.count);
    assert.equal(second.data?.items[0]?.id, made[0].id);

    const ascending = await external.GET("/quotes", { params: { query: { limit: 100, ordering: "id" } } });
    const ids = (ascending.data?.items ?? []).map((q) => q.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    for (const q of ascending.data?.items ?? []) {
      assert.equal(q.company_id, ownCompany);
    }

    const submittedOnly = await external.GET("/quotes", { params: { query: { limit: 100, state: "submitted" } } });
    assert.ok(submittedOnly.data?.items.every((q) => q.state === "submitted"));
  } finally {
    for (const q of made) {
      await external.DELETE("/quotes/{quote_id}", { params: { path: { quote_id: q.id } } });
    }
  }
});

test("a viewer may read but not change: 403", async () => {
  const list = await viewer.GET("/quotes");
  assert.equal(list.response.status, 200);
  const { error, response } = await viewer.POST("/quotes", { body: { lines: [line(1)] } });
  assert.equal(response.status, 403);
  assert.equal(error?.status, 403);
  assert.ok(error?.detail);
});

test("another company's quote is not found: 404", async () => {
  const theirs = await create(staff, { company_id: otherCompany });
  try {
    const path = { quote_id: theirs.id };
    const read = await external.GET("/quotes/{quote_id}", { params: { path } });
    assert.equal(read.response.status, 404);
    assert.match(read.error?.type ?? "", /not-found$/);
    const lines = await external.PUT("/quotes/{quote_id}/lines", { params: { path }, body: { lines: [] } });
    assert.equal(lines.response.status, 404);
    const submit = await external.POST("/quotes/{quote_id}/submit", { params: { path } });
    assert.equal(submit.response.status, 404);
    const del = await external.DELETE("/quotes/{quote_id}", { params: { path } });
    assert.equal(del.response.status, 404);
  } finally {
    await staff.DELETE("/quotes/{quote_id}", { params: { path: { quote_id: theirs.id } } });
  }
});

test("invalid fields are answered with JSON pointers to them", async () => {
  const noCompany = await staff.POST("/quotes", { body: { lines: [] } });
  assert.equal(noCompany.response.status, 403, JSON.stringify(noCompany.error));
  assert.deepEqual(noCompany.error?.errors?.map((e) => e.pointer), ["#/company_id"]);

  // A draft without lines cannot be submitted: 409 pointing at its lines.
  const empty = await create(external, {});
  try {
    const submit = await external.POST("/quotes/{quote_id}/submit", { params: { path: { quote_id: empty.id } } });
    assert.equal(submit.response.status, 409, JSON.stringify(submit.error));
    assert.deepEqual(submit.error?.errors?.map((e) => e.pointer), ["#/lines"]);
  } finally {
    await external.DELETE("/quotes/{quote_id}", { params: { path: { quote_id: empty.id } } });
  }

  // A request the contract accepts whose total the service cannot carry
  // out: 422, pointing at the line.
  const dear = await materials.POST("/materials", {
    body: { name: unique("TS dear"), quality: "gold", thickness: 1, price_per_square_metre: { amount: Number.MAX_SAFE_INTEGER, currency: "EUR" } },
  });
  assert.ok(dear.data, JSON.stringify(dear.error));
  const tooDear = await create(external, { lines: [{ material_id: dear.data.id, quantity: 4, width_mm: 1000, height_mm: 500 }] });
  try {
    const submit = await external.POST("/quotes/{quote_id}/submit", { params: { path: { quote_id: tooDear.id } } });
    assert.equal(submit.response.status, 422, JSON.stringify(submit.error));
    assert.equal(submit.error?.status, 422);
    assert.deepEqual(submit.error?.errors?.map((e) => e.pointer), ["#/lines/0"]);
  } finally {
    await external.DELETE("/quotes/{quote_id}", { params: { path: { quote_id: tooDear.id } } });
    await materials.DELETE("/materials/{material_id}", { params: { path: { material_id: dear.data.id } } });
  }

  const invalid = await external.POST("/quotes", { body: { lines: [{ ...line(0), width_mm: 0 }] } });
  assert.equal(invalid.response.status, 400);
  const pointers = (invalid.error?.errors ?? []).map((e) => e.pointer).sort();
  assert.deepEqual(pointers, ["#/lines/0/quantity", "#/lines/0/width_mm"]);
});
