// @ts-check
// An integrator's use of @charterhq/materials-sdk against a running server.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { createClient, version } from "@charterhq/materials-sdk";
import { env, etag, otherCompany, ownCompany, tokens, unique } from "./scenario.js";

/** @typedef {import("@charterhq/materials-sdk").NewMaterial} NewMaterial */
/** @typedef {import("@charterhq/materials-sdk").Material} Material */

const baseUrl = env("CHARTER_MATERIALS_URL");
const staff = createClient({ baseUrl, token: tokens.staff });
// A token may also come from a function, called for every request.
const external = createClient({ baseUrl, token: async () => tokens.external });
const viewer = createClient({ baseUrl, token: tokens.viewer });

/**
 * @param {ReturnType<typeof createClient>} client
 * @param {NewMaterial} body
 * @returns {Promise<Material>}
 */
async function create(client, body) {
  const { data, error, response } = await client.POST("/materials", { body });
  assert.equal(response.status, 201, JSON.stringify(error));
  assert.ok(data);
  return data;
}

test("the package is the version of the spec the server serves", async () => {
  const served = await (await fetch(`${baseUrl}/openapi.json`)).json();
  assert.equal(version, served.info.version);
});

test("a request without a token is refused with a problem document", async () => {
  const anonymous = createClient({ baseUrl });
  const { data, error, response } = await anonymous.GET("/materials");
  assert.equal(response.status, 401);
  assert.equal(data, undefined);
  assert.equal(error?.status, 401);
  assert.equal(response.headers.get("Content-Type"), "application/problem+json");
});

test("create, read, update with If-Match and delete a material of one's company", async () => {
  const name = unique("TS steel");
  const key = randomUUID();
  /** @type {NewMaterial} */
  const body = { name, quality: "S235", thickness: 2.5, price_per_square_metre: { amount: 1500, currency: "EUR" } };
  const created = await external.POST("/materials", { params: { header: { "Idempotency-Key": key } }, body });
  assert.equal(created.response.status, 201, JSON.stringify(created.error));
  const material = created.data;
  assert.ok(material);
  assert.equal(material.company_id, ownCompany);
  assert.equal(material.name, name);
  assert.equal(material.is_active, true, "is_active defaults to true");
  assert.deepEqual(material.price_per_square_metre, { amount: 1500, currency: "EUR" });
  assert.match(created.response.headers.get("Location") ?? "", new RegExp(`/materials/${material.id}$`));

  // A retry with the same Idempotency-Key gets the first answer, not a
  // second material; the same key with another body is refused.
  const retried = await external.POST("/materials", { params: { header: { "Idempotency-Key": key } }, body });
  assert.equal(retried.response.status, 201);
  assert.equal(retried.data?.id, material.id);
  const reused = await external.POST("/materials", {
    params: { header: { "Idempotency-Key": key } },
    body: { ...body, thickness: 3 },
  });
  assert.equal(reused.response.status, 422);
  assert.equal(reused.error?.status, 422);

  const path = { material_id: material.id };
  const read = await external.GET("/materials/{material_id}", { params: { path } });
  assert.equal(read.response.status, 200);
  assert.deepEqual(read.data, material);
  const tag = etag(read.response);
  assert.equal(tag, etag(created.response), "create and get answer the same ETag");

  const notModified = await external.GET("/materials/{material_id}", {
    params: { path, header: { "If-None-Match": tag } },
  });
  assert.equal(notModified.response.status, 304);

  const updated = await external.PUT("/materials/{material_id}", {
    params: { path, header: { "If-Match": tag } },
    body: { name, quality: "S355", thickness: 3, is_active: false },
  });
  assert.equal(updated.response.status, 200, JSON.stringify(updated.error));
  assert.equal(updated.data?.quality, "S355");
  assert.equal(updated.data?.is_active, false);
  assert.deepEqual(updated.data?.price_per_square_metre, material.price_per_square_metre, "an update without a price keeps it");
  const newTag = etag(updated.response);
  assert.notEqual(newTag, tag);

  // The tag read before the update is stale now: neither write happens.
  const lost = await external.PUT("/materials/{material_id}", {
    params: { path, header: { "If-Match": tag } },
    body: { name, quality: "lost", thickness: 4, is_active: true },
  });
  assert.equal(lost.response.status, 412);
  assert.equal(lost.error?.status, 412);
  assert.match(lost.error?.type ?? "", /precondition-failed$/);
  const staleDelete = await external.DELETE("/materials/{material_id}", { params: { path, header: { "If-Match": tag } } });
  assert.equal(staleDelete.response.status, 412);

  const deleted = await external.DELETE("/materials/{material_id}", { params: { path, header: { "If-Match": newTag } } });
  assert.equal(deleted.response.status, 204);
  const gone = await external.GET("/materials/{material_id}", { params: { path } });
  assert.equal(gone.response.status, 404);
  assert.equal(gone.error?.status, 404);
});

test("list pages in the order asked for", async () => {
  const made = [];
  // Inactive, and listed with is_active=false, so that the materials the
  // quotes scenario makes meanwhile (active ones) stay off these pages.
  for (const thickness of [1.5, 0.5, 2.5]) {
    made.push(await create(external, { name: unique("TS page"), quality: "steel", thickness, is_active: false }));
  }
  try {
    const inactive = { is_active: false, ordering: /** @type {const} */ ("-id") };
    const first = await external.GET("/materials", { params: { query: { ...inactive, limit: 2, offset: 0 } } });
    assert.equal(first.response.status, 200);
    const page1 = first.data;
    assert.ok(page1);
    assert.equal(page1.limit, 2);
    assert.equal(page1.offset, 0);
    assert.equal(page1.items.length, 2);
    assert.ok(page1.count >= made.length);
    // Newest first: the last two made, in descending order of ID.
    assert.deepEqual(page1.items.map((m) => m.id), [made[2].id, made[1].id]);

    const second = await external.GET("/materials", { params: { query: { ...inactive, limit: 2, offset: 2 } } });
    const page2 = second.data;
    assert.ok(page2);
    assert.equal(page2.offset, 2);
    assert.equal(page2.count, page1.count);
    assert.equal(page2.items[0]?.id, made[0].id);

    const all = await external.GET("/materials", { params: { query: { limit: 100, ordering: "thickness" } } });
    const thicknesses = (all.data?.items ?? []).map((m) => m.thickness);
    assert.deepEqual(thicknesses, [...thicknesses].sort((a, b) => a - b));
    for (const m of all.data?.items ?? []) {
      assert.equal(m.company_id, ownCompany, "an external user lists only its company's materials");
    }

    const badLimit = await external.GET("/materials", { params: { query: { limit: 0 } } });
    assert.equal(badLimit.response.status, 400);
    assert.ok(badLimit.error?.errors?.some((e) => e.pointer === "#/query/limit"), JSON.stringify(badLimit.error));
  } finally {
    for (const m of made) {
      await external.DELETE("/materials/{material_id}", { params: { path: { material_id: m.id } } });
    }
  }
});

test("a viewer may read but not change: 403", async () => {
  const list = await viewer.GET("/materials");
  assert.equal(list.response.status, 200);
  const { error, response } = await viewer.POST("/materials", {
    body: { name: unique("TS viewer"), quality: "steel", thickness: 1 },
  });
  assert.equal(response.status, 403);
  assert.equal(error?.status, 403);
  assert.equal(error?.title, "Forbidden");
  assert.ok(error?.request_id, "a problem names its request");
});

test("another company's material is not found: 404", async () => {
  const theirs = await create(staff, { company_id: otherCompany, name: unique("TS theirs"), quality: "steel", thickness: 1 });
  try {
    const path = { material_id: theirs.id };
    const read = await external.GET("/materials/{material_id}", { params: { path } });
    assert.equal(read.response.status, 404);
    assert.equal(read.error?.status, 404);
    assert.match(read.error?.type ?? "", /not-found$/);
    const update = await external.PUT("/materials/{material_id}", {
      params: { path },
      body: { name: "mine now", quality: "steel", thickness: 1, is_active: true },
    });
    assert.equal(update.response.status, 404);
    const del = await external.DELETE("/materials/{material_id}", { params: { path } });
    assert.equal(del.response.status, 404);
    const list = await external.GET("/materials", { params: { query: { limit: 100 } } });
    assert.ok(!list.data?.items.some((m) => m.id === theirs.id));
  } finally {
    await staff.DELETE("/materials/{material_id}", { params: { path: { material_id: theirs.id } } });
  }
});

test("invalid fields are answered with JSON pointers to them", async () => {
  // Staff must name the company of a material, a rule of the token: 403.
  const noCompany = await staff.POST("/materials", { body: { name: unique("TS nobody's"), quality: "steel", thickness: 1 } });
  assert.equal(noCompany.response.status, 403, JSON.stringify(noCompany.error));
  assert.deepEqual(noCompany.error?.errors?.map((e) => e.pointer), ["#/company_id"]);

  // A body the contract refuses: 400, one entry per field.
  const invalid = await external.POST("/materials", { body: { name: "", quality: "steel", thickness: -1 } });
  assert.equal(invalid.response.status, 400);
  const pointers = (invalid.error?.errors ?? []).map((e) => e.pointer).sort();
  assert.deepEqual(pointers, ["#/name", "#/thickness"]);
});
