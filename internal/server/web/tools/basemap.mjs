// basemap.mjs builds the dashboard's offline basemap:
//   static/data/countries.geojson  Natural Earth 1:50m countries (npm world-atlas),
//                                  clipped to West Africa
//   static/data/admin1.geojson     Mali and Burkina Faso regions (geoBoundaries ADM1, CC BY 4.0)
// Coordinates are rounded to 3 decimals (about 100 m) and region outlines
// simplified to about 300 m, plenty for a regional map.
// Usage: node tools/basemap.mjs <boundaries-dir> <out-dir>
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const topojson = require("topojson-client");

const [boundaries, out] = process.argv.slice(2);
if (!boundaries || !out) {
  console.error("usage: node tools/basemap.mjs <boundaries-dir> <out-dir>");
  process.exit(2);
}
const BOX = { minX: -20, minY: 0, maxX: 25, maxY: 30 };
const round = (v) => Math.round(v * 1000) / 1000;

// Sutherland-Hodgman clipping of one ring against the box, edge by edge.
function clipRing(ring) {
  const edges = [
    [(p) => p[0] >= BOX.minX, (a, b) => cut(a, b, 0, BOX.minX)],
    [(p) => p[0] <= BOX.maxX, (a, b) => cut(a, b, 0, BOX.maxX)],
    [(p) => p[1] >= BOX.minY, (a, b) => cut(a, b, 1, BOX.minY)],
    [(p) => p[1] <= BOX.maxY, (a, b) => cut(a, b, 1, BOX.maxY)],
  ];
  let pts = ring.slice(0, -1);
  for (const [inside, inter] of edges) {
    const next = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i], prev = pts[(i + pts.length - 1) % pts.length];
      if (inside(cur)) {
        if (!inside(prev)) next.push(inter(prev, cur));
        next.push(cur);
      } else if (inside(prev)) {
        next.push(inter(prev, cur));
      }
    }
    pts = next;
    if (pts.length === 0) break;
  }
  return tidy(pts);
}

function cut(a, b, axis, v) {
  const t = (v - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = v;
  return p;
}

// tidy rounds, drops repeated points and closes the ring; null if degenerate.
function tidy(pts) {
  const outPts = [];
  for (const p of pts) {
    const q = [round(p[0]), round(p[1])];
    const last = outPts[outPts.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) outPts.push(q);
  }
  if (outPts.length > 1) {
    const f = outPts[0], l = outPts[outPts.length - 1];
    if (f[0] === l[0] && f[1] === l[1]) outPts.pop();
  }
  if (outPts.length < 3) return null;
  outPts.push(outPts[0]);
  return outPts;
}

// simplify is Douglas-Peucker on a closed ring with a tolerance in degrees;
// geoBoundaries' "simplified" files still carry survey-level detail.
function simplify(ring, tol) {
  if (ring.length <= 4) return ring;
  const keep = new Uint8Array(ring.length);
  keep[0] = keep[ring.length - 1] = 1;
  const stack = [[0, ring.length - 1]];
  // A closed ring's ends coincide, so split it at its farthest point first.
  let far = 0, best = -1;
  for (let i = 1; i < ring.length - 1; i++) {
    const d = (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  stack.pop();
  stack.push([0, far], [far, ring.length - 1]);
  while (stack.length) {
    const [a, b] = stack.pop();
    let idx = -1, dmax = tol;
    for (let i = a + 1; i < b; i++) {
      const d = segDist(ring[i], ring[a], ring[b]);
      if (d > dmax) { dmax = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push([a, idx], [idx, b]); }
  }
  return ring.filter((_, i) => keep[i]);
}

function segDist(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function polygons(geom) {
  if (!geom) return [];
  if (geom.type === "Polygon") return [geom.coordinates];
  if (geom.type === "MultiPolygon") return geom.coordinates;
  return [];
}

function rebuild(geom, ringFn) {
  const polys = [];
  for (const poly of polygons(geom)) {
    const rings = [];
    for (let i = 0; i < poly.length; i++) {
      const r = ringFn(poly[i]);
      if (r) rings.push(r);
      else if (i === 0) break; // outer ring gone: drop the holes too
    }
    if (rings.length) polys.push(rings);
  }
  if (polys.length === 0) return null;
  return polys.length === 1
    ? { type: "Polygon", coordinates: polys[0] }
    : { type: "MultiPolygon", coordinates: polys };
}

const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const world = topojson.feature(topo, topo.objects.countries);
const countries = [];
for (const f of world.features) {
  const g = rebuild(f.geometry, clipRing);
  if (g) countries.push({ type: "Feature", properties: { name: f.properties.name }, geometry: g });
}

const admin1 = [];
for (const iso of ["MLI", "BFA"]) {
  const fc = JSON.parse(readFileSync(join(boundaries, `geoBoundaries-${iso}-ADM1_simplified.geojson`), "utf8"));
  for (const f of fc.features) {
    const g = rebuild(f.geometry, (r) => tidy(simplify(r, 0.003)));
    if (g) admin1.push({ type: "Feature", properties: { name: f.properties.shapeName, iso: f.properties.shapeISO, country: iso }, geometry: g });
  }
}

mkdirSync(out, { recursive: true });
const write = (name, features, note) => {
  const body = JSON.stringify({ type: "FeatureCollection", source: note, features });
  writeFileSync(join(out, name), body + "\n");
  console.log(`${name}: ${features.length} features, ${body.length} bytes`);
};
write("countries.geojson", countries, "Natural Earth 1:50m via world-atlas (public domain / ISC)");
write("admin1.geojson", admin1, "geoBoundaries ADM1 MLI, BFA (CC BY 4.0, www.geoboundaries.org)");
