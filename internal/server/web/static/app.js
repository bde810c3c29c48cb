// sahelwatch dashboard. Plain browser JavaScript, no build step.
// Every string that comes from the API (report text, names, notes) is
// untrusted and reaches the page only through textContent or text nodes.
(function () {
  "use strict";

  var API = "api/v1/";
  var PAGE = 1000;        // events per API page
  var MAX_PAGES = 10;     // the map holds at most PAGE*MAX_PAGES events
  var TABLE_ROWS = 500;   // rows rendered at once; the rest via narrower filters
  var CLUSTER_ABOVE = 300; // cluster markers only when the map is dense

  var EVENT_TYPES = [
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments"
  ];
  // Colour-blind-safe palette (Okabe-Ito), readable on the pale basemap.
  var COLORS = {
    "Battles": "#d55e00",
    "Violence against civilians": "#cc0066",
    "Explosions/Remote violence": "#0072b2",
    "Riots": "#e69f00",
    "Protests": "#009e73",
    "Strategic developments": "#56468c"
  };
  var OTHER_COLOR = "#555555";

  var state = {
    lang: "en",
    dict: {},
    events: [],      // as loaded for the current filters
    visible: [],     // after the timeline brush
    brush: null,     // [from, to] as YYYY-MM-DD, inclusive
    sort: { col: "event_date", desc: true },
    markers: null,
    plot: null,
    weeks: [],
    loadSeq: 0
  };

  var $ = function (sel) { return document.querySelector(sel); };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function t(key, vars) {
    var d = state.dict[state.lang] || {};
    var s = d[key];
    if (s === undefined) s = (state.dict.en || {})[key];
    if (s === undefined) s = key;
    if (vars) {
      Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    }
    return s;
  }

  function typeLabel(type) {
    var d = state.dict[state.lang] || {};
    return d["type_" + type] || type;
  }

  function getJSON(path) {
    return fetch(path, { headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  function setStatus(msg) { $("#status").textContent = msg || ""; }

  // --- language -------------------------------------------------------------

  function applyLang() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll("[data-i18n]").forEach(function (n) {
      n.textContent = t(n.getAttribute("data-i18n"));
    });
    var btn = $("#lang-toggle");
    btn.textContent = t("lang_switch");
    btn.setAttribute("aria-label", t("lang_switch_label"));
    $("#map").setAttribute("aria-label", t("map"));
    document.querySelectorAll("#filter-type option[data-type]").forEach(function (o) {
      o.textContent = typeLabel(o.value);
    });
    buildLegend();
    updateSortMarks();
    if (state.plot) renderTable();
  }

  function toggleLang() {
    state.lang = state.lang === "en" ? "fr" : "en";
    try { localStorage.setItem("sahelwatch.lang", state.lang); } catch (e) { /* private mode */ }
    applyLang();
  }

  // --- filters --------------------------------------------------------------

  function filterParams() {
    var p = new URLSearchParams();
    [["from", "#filter-from"], ["to", "#filter-to"], ["type", "#filter-type"],
     ["actor", "#filter-actor"], ["admin1", "#filter-admin1"], ["kind", "#filter-kind"],
     ["q", "#filter-q"]].forEach(function (f) {
      var v = $(f[1]).value.trim();
      if (v) p.set(f[0], v);
    });
    return p;
  }

  function updateCSVLink() {
    var p = filterParams();
    if (state.brush) {
      // The brush narrows the export too, within the form's own dates.
      p.set("from", maxStr(p.get("from"), state.brush[0]));
      p.set("to", minStr(p.get("to"), state.brush[1]));
    }
    var qs = p.toString();
    $("#csv-link").href = API + "events.csv" + (qs ? "?" + qs : "");
  }

  function maxStr(a, b) { return !a ? b : (a > b ? a : b); }
  function minStr(a, b) { return !a ? b : (a < b ? a : b); }

  // --- loading --------------------------------------------------------------

  function load() {
    var seq = ++state.loadSeq;
    var p = filterParams();
    setStatus(t("loading"));
    state.brush = null;
    $("#clear-brush").hidden = true;
    var events = [];
    var truncated = false;
    function page(cursor, n) {
      var q = new URLSearchParams(p);
      q.set("limit", String(PAGE));
      if (cursor) q.set("cursor", cursor);
      return getJSON(API + "events?" + q.toString()).then(function (body) {
        events = events.concat(body.events || []);
        if (body.next_cursor && n + 1 < MAX_PAGES) return page(body.next_cursor, n + 1);
        truncated = !!body.next_cursor;
        return null;
      });
    }
    var stats = getJSON(API + "stats?" + p.toString());
    return Promise.all([page("", 0), stats]).then(function (res) {
      if (seq !== state.loadSeq) return; // a newer load won
      state.events = events;
      state.weeks = res[1].by_week || [];
      setStatus(truncated ? t("more_available", { n: events.length }) : "");
      drawTimeline();
      render();
    }).catch(function (err) {
      if (seq !== state.loadSeq) return;
      setStatus(t("load_error"));
      if (window.console) console.error(err);
    });
  }

  function render() {
    var b = state.brush;
    state.visible = state.events.filter(function (e) {
      return !b || (e.event_date >= b[0] && e.event_date <= b[1]);
    });
    $("#count").textContent = String(state.visible.length);
    updateCSVLink();
    drawMarkers();
    renderTable();
  }

  // --- map ------------------------------------------------------------------

  var map;

  function colorOf(type) { return COLORS[type] || OTHER_COLOR; }

  function radiusOf(f) { return 4 + Math.min(16, Math.sqrt(Math.max(0, f || 0)) * 2); }

  function initMap(config) {
    map = L.map("map", { zoomSnap: 0.5, minZoom: 3, maxZoom: 14 }).setView([15.5, -1.5], 5);
    if (config && config.tile_url) {
      L.tileLayer(config.tile_url, {
        maxZoom: 14,
        // Leaflet renders attribution as HTML; this string is operator
        // configuration, escaped anyway.
        attribution: escapeHTML(config.tile_attribution || "")
      }).addTo(map);
    }
    getJSON("data/countries.geojson").then(function (fc) {
      L.geoJSON(fc, {
        interactive: false,
        style: { color: "#8a8a8a", weight: 1, fillColor: "#f3efe6", fillOpacity: config && config.tile_url ? 0 : 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { /* the map still works without a basemap */ });
    getJSON("data/admin1.geojson").then(function (fc) {
      L.geoJSON(fc, {
        style: { color: "#6b6b6b", weight: 0.8, dashArray: "3 3", fill: false },
        interactive: false
      }).addTo(map);
    }).catch(function () {});
  }

  function escapeHTML(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function drawMarkers() {
    if (state.markers) map.removeLayer(state.markers);
    var dense = state.visible.length > CLUSTER_ABOVE && L.markerClusterGroup;
    var group = dense
      ? L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 9, showCoverageOnHover: false })
      : L.layerGroup();
    state.visible.forEach(function (e) {
      if (!e.latitude && !e.longitude) return;
      var m = L.circleMarker([e.latitude, e.longitude], {
        radius: radiusOf(e.fatalities),
        color: "#222222",
        weight: 1,
        fillColor: colorOf(e.event_type),
        fillOpacity: 0.8,
        className: "event-marker"
      });
      m.on("add", function () {
        var p = m.getElement();
        if (p) p.setAttribute("data-event-id", e.event_id);
      });
      var tip = el("span", null, (e.event_date || "") + " · " + typeLabel(e.event_type) + " · " + (e.location || ""));
      m.bindTooltip(tip);
      m.on("click", function () { openEvent(e.event_id); });
      group.addLayer(m);
    });
    group.addTo(map);
    state.markers = group;
  }

  function buildLegend() {
    var box = $("#legend");
    clear(box);
    box.appendChild(el("strong", null, t("legend")));
    var ul = el("ul");
    EVENT_TYPES.forEach(function (type) {
      var li = el("li");
      var sw = el("span", { "class": "swatch", "aria-hidden": "true" });
      sw.style.backgroundColor = colorOf(type);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(typeLabel(type)));
      ul.appendChild(li);
    });
    box.appendChild(ul);
  }

  // --- timeline -------------------------------------------------------------

  function dayString(sec) { return new Date(sec * 1000).toISOString().slice(0, 10); }

  function drawTimeline() {
    var box = $("#timeline");
    var xs = [], ys = [];
    state.weeks.forEach(function (w) {
      xs.push(Date.parse(w.start + "T00:00:00Z") / 1000);
      ys.push(w.count);
    });
    if (state.plot) { state.plot.destroy(); state.plot = null; }
    clear(box);
    var width = Math.max(280, box.clientWidth || 600);
    var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
    state.plot = new uPlot({
      width: width,
      height: 160,
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false } },
      scales: { x: { time: true } },
      axes: [{}, { size: 40 }],
      series: [{}, { label: t("events"), stroke: "#0b4f6c", fill: "rgba(11,79,108,0.35)", paths: bars, points: { show: false } }],
      hooks: {
        setSelect: [function (u) {
          if (u.select.width < 2) return;
          var a = u.posToVal(u.select.left, "x");
          var b = u.posToVal(u.select.left + u.select.width, "x");
          // A week's bar starts on its Monday: extend the end to its Sunday.
          state.brush = [dayString(a), dayString(b + 6 * 86400)];
          $("#clear-brush").hidden = false;
          render();
        }]
      }
    }, [xs, ys], box);
  }

  function clearBrush() {
    state.brush = null;
    $("#clear-brush").hidden = true;
    if (state.plot) state.plot.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    render();
  }

  // --- table ----------------------------------------------------------------

  var COLUMNS = ["event_date", "event_type", "location", "admin1", "actor1", "fatalities"];

  function sortedVisible() {
    var col = state.sort.col, dir = state.sort.desc ? -1 : 1;
    return state.visible.slice().sort(function (a, b) {
      var x = a[col], y = b[col];
      if (typeof x === "number" && typeof y === "number") return (x - y) * dir;
      x = String(x || ""); y = String(y || "");
      return x < y ? -dir : x > y ? dir : 0;
    });
  }

  function renderTable() {
    var tbody = $("#events-table tbody");
    clear(tbody);
    var rows = sortedVisible();
    var note = "";
    if (rows.length === 0) note = t("no_events");
    else if (rows.length > TABLE_ROWS) note = t("capped", { n: TABLE_ROWS });
    $("#table-note").textContent = note;
    rows.slice(0, TABLE_ROWS).forEach(function (e) {
      var tr = el("tr", { "tabindex": "0", "data-event-id": e.event_id });
      COLUMNS.forEach(function (c) {
        var v = c === "event_type" ? typeLabel(e[c]) : e[c];
        tr.appendChild(el("td", c === "fatalities" ? { "class": "num" } : null, v));
      });
      tr.addEventListener("click", function () { openEvent(e.event_id); });
      tr.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openEvent(e.event_id); }
      });
      tbody.appendChild(tr);
    });
  }

  function updateSortMarks() {
    document.querySelectorAll("#events-table th[data-col]").forEach(function (th) {
      var c = th.getAttribute("data-col");
      th.setAttribute("aria-sort", c === state.sort.col ? (state.sort.desc ? "descending" : "ascending") : "none");
    });
  }

  function initTable() {
    document.querySelectorAll("#events-table th[data-col] button").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var c = btn.parentNode.getAttribute("data-col");
        if (state.sort.col === c) state.sort.desc = !state.sort.desc;
        else state.sort = { col: c, desc: c === "event_date" || c === "fatalities" };
        updateSortMarks();
        renderTable();
      });
    });
    updateSortMarks();
  }

  // --- event panel ----------------------------------------------------------

  function field(dl, key, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", null, t(key)));
    dl.appendChild(el("dd", null, value));
  }

  var lastFocus = null;

  function openEvent(id) {
    lastFocus = document.activeElement;
    var panel = $("#event-panel");
    getJSON(API + "events/" + encodeURIComponent(id)).then(function (d) {
      var e = d.event;
      panel.hidden = false;
      $("#panel-id").textContent = e.event_id;
      var dl = $("#event-fields");
      clear(dl);
      field(dl, "f_date", e.event_date);
      field(dl, "f_time_precision", e.time_precision);
      field(dl, "f_event_type", typeLabel(e.event_type));
      field(dl, "f_sub_event_type", e.sub_event_type);
      field(dl, "f_actor1", e.actor1);
      field(dl, "f_assoc_actor_1", e.assoc_actor_1);
      field(dl, "f_actor2", e.actor2);
      field(dl, "f_assoc_actor_2", e.assoc_actor_2);
      field(dl, "f_interaction", e.interaction);
      field(dl, "f_location", e.location);
      field(dl, "f_admin2", e.admin2);
      field(dl, "f_admin1", e.admin1);
      field(dl, "f_country", e.country);
      if (e.latitude || e.longitude) field(dl, "f_coordinates", e.latitude.toFixed(4) + ", " + e.longitude.toFixed(4));
      field(dl, "f_geo_precision", e.geo_precision);
      field(dl, "f_fatalities", e.fatalities);
      if (e.fatalities_low !== e.fatalities_high) field(dl, "f_fatalities_range", e.fatalities_low + "–" + e.fatalities_high);
      field(dl, "f_kind", t("kind_" + e.kind));
      field(dl, "f_confidence", typeof e.confidence === "number" ? e.confidence.toFixed(2) : "");
      field(dl, "f_notes", e.notes);
      field(dl, "f_unresolved", e.unresolved);
      renderSources(e.sources || []);
      renderRevisions(d.revisions || []);
      renderEvidence(e.evidence || []);
      relayout();
      if (window.history && history.replaceState) history.replaceState(null, "", "#event=" + encodeURIComponent(e.event_id));
      panel.focus();
    }).catch(function (err) {
      setStatus(t("load_error"));
      if (window.console) console.error(err);
    });
  }

  function closePanel() {
    $("#event-panel").hidden = true;
    relayout();
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + window.location.search);
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }

  function safeURL(u) {
    try {
      var p = new URL(u, window.location.href);
      return p.protocol === "http:" || p.protocol === "https:" ? p.href : "";
    } catch (e) { return ""; }
  }

  function renderSources(sources) {
    var ul = $("#sources");
    clear(ul);
    sources.forEach(function (s) {
      var li = el("li");
      var label = [s.outlet || s.doc, s.published].filter(Boolean).join(", ");
      var href = safeURL(s.url);
      if (href) {
        var a = el("a", { "rel": "noopener noreferrer", "target": "_blank" }, label);
        a.href = href;
        li.appendChild(a);
      } else {
        li.appendChild(document.createTextNode(label));
      }
      if (s.excerpt) li.appendChild(el("blockquote", null, s.excerpt));
      ul.appendChild(li);
    });
  }

  function renderRevisions(revs) {
    var ol = $("#revisions");
    clear(ol);
    revs.forEach(function (r) {
      var li = el("li", null, (r.at || "").slice(0, 19).replace("T", " ") + " · " + r.action + " · " + r.doc);
      var ch = r.changes || {};
      var keys = Object.keys(ch).sort();
      if (keys.length) {
        var inner = el("ul");
        keys.forEach(function (k) { inner.appendChild(el("li", null, k + ": " + ch[k])); });
        li.appendChild(inner);
      }
      ol.appendChild(li);
    });
  }

  // Evidence offsets are byte offsets into the report's UTF-8 text, so the
  // text is sliced as bytes, not as JavaScript (UTF-16) string indexes.
  var enc = new TextEncoder();
  var dec = new TextDecoder();

  function renderEvidence(evidence) {
    var box = $("#evidence");
    clear(box);
    if (!evidence.length) { box.appendChild(el("p", { "class": "hint" }, t("no_evidence"))); return; }
    var byDoc = {};
    var order = [];
    evidence.forEach(function (ev) {
      if (!byDoc[ev.doc]) { byDoc[ev.doc] = []; order.push(ev.doc); }
      byDoc[ev.doc].push(ev);
    });
    order.forEach(function (doc) {
      var sec = el("section", { "class": "report", "data-doc": doc });
      sec.appendChild(el("h4", null, doc));
      box.appendChild(sec);
      getJSON(API + "reports/" + encodeURIComponent(doc)).then(function (rep) {
        if (rep.title) sec.appendChild(el("p", { "class": "report-title" }, rep.title));
        sec.appendChild(highlighted(rep.text || "", byDoc[doc]));
        // Scroll the report's own box to the first passage; scrollIntoView
        // would also scroll the panel and hide the event's fields.
        var first = sec.querySelector(".highlight");
        var box = first && first.parentNode;
        if (box) box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 24);
      }).catch(function () {
        sec.appendChild(el("p", { "class": "hint" }, t("report_unavailable")));
        byDoc[doc].forEach(function (ev) {
          var p = el("p");
          p.appendChild(el("mark", { "class": "highlight" }, ev.text));
          sec.appendChild(p);
        });
      });
    });
  }

  function highlighted(text, spans) {
    var bytes = enc.encode(text);
    var ranges = [];
    spans.forEach(function (ev) {
      var s = ev.start, e = ev.end;
      var ok = s >= 0 && e > s && e <= bytes.length && dec.decode(bytes.subarray(s, e)) === ev.text;
      if (!ok && ev.text) {
        // Offsets disagree with the stored text: find the passage instead.
        var i = text.indexOf(ev.text);
        if (i < 0) return;
        s = enc.encode(text.slice(0, i)).length;
        e = s + enc.encode(ev.text).length;
      } else if (!ok) {
        return;
      }
      ranges.push([s, e]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var div = el("div", { "class": "report-text" });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[0] < pos) r[0] = pos; // overlapping passages: merge
      if (r[1] <= r[0]) return;
      if (r[0] > pos) div.appendChild(document.createTextNode(dec.decode(bytes.subarray(pos, r[0]))));
      div.appendChild(el("mark", { "class": "highlight" }, dec.decode(bytes.subarray(r[0], r[1]))));
      pos = r[1];
    });
    if (pos < bytes.length) div.appendChild(document.createTextNode(dec.decode(bytes.subarray(pos))));
    return div;
  }

  // The panel takes a grid column when open: let the map and chart refit.
  function relayout() {
    if (map) map.invalidateSize();
    if (state.plot) state.plot.setSize({ width: Math.max(280, $("#timeline").clientWidth), height: 160 });
  }

  // --- start ----------------------------------------------------------------

  function fillSelects() {
    var typeSel = $("#filter-type");
    EVENT_TYPES.forEach(function (type) {
      var o = el("option", { "data-type": "1" }, typeLabel(type));
      o.value = type;
      typeSel.appendChild(o);
    });
    return getJSON(API + "stats").then(function (s) {
      var sel = $("#filter-admin1");
      (s.by_admin1 || []).map(function (b) { return b.key; })
        .filter(function (k) { return k && k !== "(unknown)"; })
        .sort()
        .forEach(function (k) {
          var o = el("option", null, k);
          o.value = k;
          sel.appendChild(o);
        });
    }).catch(function () {});
  }

  function start() {
    try { state.lang = localStorage.getItem("sahelwatch.lang") || ""; } catch (e) { state.lang = ""; }
    if (state.lang !== "en" && state.lang !== "fr") {
      state.lang = (navigator.language || "en").slice(0, 2) === "fr" ? "fr" : "en";
    }
    $("#lang-toggle").addEventListener("click", toggleLang);
    $("#filters").addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
    $("#filters").addEventListener("reset", function () { setTimeout(load, 0); });
    $("#clear-brush").addEventListener("click", clearBrush);
    $("#panel-close").addEventListener("click", closePanel);
    $("#event-panel").addEventListener("keydown", function (ev) { if (ev.key === "Escape") closePanel(); });
    initTable();
    Promise.all([
      getJSON("i18n.json").catch(function () { return {}; }),
      getJSON(API + "config").catch(function () { return {}; })
    ]).then(function (res) {
      state.dict = res[0];
      initMap(res[1]);
      return fillSelects();
    }).then(function () {
      applyLang();
      return load();
    }).then(function () {
      // Links of the form #event=ID open that event.
      var m = /^#event=(.+)$/.exec(window.location.hash);
      if (m) openEvent(decodeURIComponent(m[1]));
    });
    window.addEventListener("resize", relayout);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
