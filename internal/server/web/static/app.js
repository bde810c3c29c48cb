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
    loadSeq: 0,
    analysisSeq: 0,
    lastDay: "",     // the newest week's Sunday with events in the store
    alerts: [],
    situations: null, // the /api/v1/situations answer
    hits: [],        // event ids of the alert last opened, outlined on the map
    sitLayers: {},   // situation or corridor id -> its map layer
    sitLayer: null
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
    renderAlerts();
    if (map && state.situations) drawSituations(); // tooltips and titles in the new language
    renderSituations();
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
      loadAnalysis();
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
    state.hits = [];
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
    // Panes fix the drawing order whatever loads first: basemap, then
    // corridors, then event markers (overlayPane, 400), then town markers.
    map.createPane("basemap").style.zIndex = 250;
    map.createPane("corridors").style.zIndex = 350;
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
        pane: "basemap",
        style: { color: "#8a8a8a", weight: 1, fillColor: "#f3efe6", fillOpacity: config && config.tile_url ? 0 : 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { /* the map still works without a basemap */ });
    getJSON("data/admin1.geojson").then(function (fc) {
      L.geoJSON(fc, {
        style: { color: "#6b6b6b", weight: 0.8, dashArray: "3 3", fill: false },
        interactive: false,
        pane: "basemap"
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
        if (!p) return;
        p.setAttribute("data-event-id", e.event_id);
        if (state.hits.indexOf(e.event_id) >= 0) p.classList.add("alert-hit");
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
    var types = el("div", { "class": "legend-group" });
    types.appendChild(el("h3", null, t("legend")));
    var ul = el("ul");
    EVENT_TYPES.forEach(function (type) {
      var li = el("li");
      var sw = el("span", { "class": "swatch", "aria-hidden": "true" });
      sw.style.backgroundColor = colorOf(type);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(typeLabel(type)));
      ul.appendChild(li);
    });
    types.appendChild(ul);
    box.appendChild(types);
    legendSituations(box);
  }

  // --- alerts, situations and the brief --------------------------------------
  // Served by internal/analysis when the server mounts it (serve and demo
  // do); without those endpoints the two boxes stay hidden.

  var ALERTS_SHOWN = 100;
  var SIT_CATS = ["closed", "contested", "threatened", "control", "quiet", "stale", "none"];
  var SIT_COLORS = {
    closed: "#b2182b", contested: "#e66101", threatened: "#d9a400", control: "#5e3c99",
    quiet: "#1a9850", stale: "#8c8c8c", other: "#8c8c8c", none: "#a0a0a0"
  };
  var STATUS_KEYS = {
    "blockaded": "st_blockaded", "besieged": "st_besieged", "encircled": "st_encircled",
    "cut": "st_cut", "changed hands": "st_changed_hands", "contested": "st_contested",
    "quiet": "st_quiet", "no recent reports": "st_stale"
  };

  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  function addDays(day, n) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  // isoWeek names the ISO 8601 week of a YYYY-MM-DD day: the week of its Thursday.
  function isoWeek(day) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 3 - (d.getUTCDay() + 6) % 7);
    var y = d.getUTCFullYear();
    var n = Math.floor((d - Date.UTC(y, 0, 1)) / 86400000 / 7) + 1;
    return y + "-W" + pad2(n);
  }

  // statusCat sorts the analysis package's statuses into the legend's classes.
  function statusCat(status) {
    var s = String(status || "").toLowerCase();
    if (!s) return "none";
    if (s.indexOf("threatened") === 0) return "threatened";
    if (s === "cut" || s === "blockaded" || s === "besieged" || s === "encircled") return "closed";
    if (s === "contested" || s === "quiet") return s;
    if (s === "no recent reports") return "stale";
    if (s === "changed hands" || s.indexOf("taken by ") === 0) return "control";
    return "other";
  }

  function statusLabel(status) {
    var s = String(status || "");
    var m = /^threatened \((.*)\)$/.exec(s);
    if (m) return t("st_threatened", { status: statusLabel(m[1]) });
    if (s.indexOf("taken by ") === 0) return t("st_taken_by", { actor: s.slice(9) });
    return STATUS_KEYS[s] ? t(STATUS_KEYS[s]) : s;
  }

  // asOf is the day situations are computed for: the form's end date, else
  // the newest week with events (a store fed months ago is shown as it
  // stood then, not as all stale), never after today.
  function asOf() {
    var today = new Date().toISOString().slice(0, 10);
    var d = $("#filter-to").value || state.lastDay || today;
    return d > today ? today : d;
  }

  function loadAnalysis() {
    var seq = ++state.analysisSeq;
    var day = asOf();
    var p = new URLSearchParams();
    var from = $("#filter-from").value, to = $("#filter-to").value;
    if (from) p.set("from", from);
    if (to) p.set("to", to);
    var week = isoWeek(day);
    $("#brief-link").href = "briefs/" + week;
    $("#brief-week").textContent = week;
    getJSON(API + "alerts?" + p.toString()).then(function (body) {
      if (seq !== state.analysisSeq) return; // a newer load won
      state.alerts = (body.alerts || []).slice().reverse(); // newest first
      $("#alerts-box").hidden = false;
      renderAlerts();
    }).catch(function () { if (seq === state.analysisSeq) $("#alerts-box").hidden = true; });
    getJSON(API + "situations?at=" + encodeURIComponent(day)).then(function (body) {
      if (seq !== state.analysisSeq) return;
      state.situations = body;
      $("#situations-box").hidden = false;
      drawSituations();
      renderSituations();
      buildLegend();
    }).catch(function () { if (seq === state.analysisSeq) $("#situations-box").hidden = true; });
  }

  function renderAlerts() {
    var ol = $("#alerts-list");
    if (!ol) return;
    clear(ol);
    var all = state.alerts;
    $("#alerts-count").textContent = all.length ? String(all.length) : "";
    var note = "";
    if (!all.length) note = t("no_alerts");
    else if (all.length > ALERTS_SHOWN) note = t("alerts_capped", { n: ALERTS_SHOWN });
    $("#alerts-note").textContent = note;
    all.slice(0, ALERTS_SHOWN).forEach(function (al) {
      var li = el("li", { "data-alert-key": al.key });
      var b = el("button", { "type": "button", "class": "item" });
      var meta = el("span", { "class": "meta" });
      meta.appendChild(el("span", { "class": "rule rule-" + String(al.rule).replace(/[^a-z_]/g, "") }, t("rule_" + al.rule)));
      meta.appendChild(document.createTextNode(al.date || ""));
      b.appendChild(meta);
      b.appendChild(el("strong", null, al.title));
      b.appendChild(el("span", { "class": "why" }, al.why));
      b.addEventListener("click", function () { openAlert(al, b); });
      li.appendChild(b);
      ol.appendChild(li);
    });
  }

  // openAlert zooms to the alert's events, outlines them and opens the first.
  function openAlert(al, btn) {
    document.querySelectorAll("#alerts-list .item[aria-current]").forEach(function (n) { n.removeAttribute("aria-current"); });
    if (btn) btn.setAttribute("aria-current", "true");
    var ids = al.event_ids || [];
    var pts = [];
    state.visible.forEach(function (e) {
      if (ids.indexOf(e.event_id) >= 0 && (e.latitude || e.longitude)) pts.push([e.latitude, e.longitude]);
    });
    if (!pts.length && (al.latitude || al.longitude)) pts.push([al.latitude, al.longitude]);
    if (pts.length === 1) map.setView(pts[0], Math.max(map.getZoom(), 7));
    else if (pts.length) map.fitBounds(pts, { padding: [40, 40], maxZoom: 9 });
    state.hits = ids.slice();
    document.querySelectorAll("#map path[data-event-id]").forEach(function (p) {
      p.classList.toggle("alert-hit", state.hits.indexOf(p.getAttribute("data-event-id")) >= 0);
    });
    if (ids.length) openEvent(ids[0]);
  }

  function corridorsById() {
    var m = {};
    ((state.situations && state.situations.corridors) || []).forEach(function (c) { m[c.id] = c; });
    return m;
  }

  function drawSituations() {
    if (state.sitLayer) map.removeLayer(state.sitLayer);
    state.sitLayers = {};
    var group = L.layerGroup();
    var body = state.situations || {};
    var onRoute = {};
    (body.situations || []).forEach(function (s) { if (s.kind === "route" && s.corridor) onRoute[s.corridor] = s; });
    (body.corridors || []).forEach(function (c) {
      var s = onRoute[c.id];
      var cat = s ? statusCat(s.status) : "none";
      var latlngs = (c.line || []).map(function (p) { return [p[1], p[0]]; });
      if (latlngs.length < 2) return;
      // A pale casing under the coloured line keeps it readable over markers and borders.
      group.addLayer(L.polyline(latlngs, { pane: "corridors", interactive: false, color: "#ffffff", weight: cat === "none" ? 5 : 8, opacity: 0.9 }));
      var line = L.polyline(latlngs, {
        pane: "corridors",
        color: SIT_COLORS[cat],
        weight: cat === "none" ? 2.5 : 5,
        opacity: 0.95,
        dashArray: cat === "threatened" || cat === "stale" ? "8 6" : null,
        className: "corridor"
      });
      line.on("add", function () {
        var p = line.getElement();
        if (!p) return;
        p.setAttribute("data-corridor-id", c.id);
        p.setAttribute("data-status", cat);
      });
      line.bindPopup(function () { return situationPopup(s, c); }, { maxWidth: 320 });
      line.bindTooltip(el("span", null, c.name + " · " + (s ? statusLabel(s.status) : t("sit_none"))), { sticky: true });
      group.addLayer(line);
      state.sitLayers[s ? s.id : "corridor:" + c.id] = line;
    });
    (body.situations || []).forEach(function (s) {
      if (s.kind !== "town" || (!s.latitude && !s.longitude)) return;
      var cat = statusCat(s.status);
      var label = s.subject + ": " + statusLabel(s.status);
      var m = L.marker([s.latitude, s.longitude], {
        icon: L.divIcon({ className: "sit-icon sit-" + cat, iconSize: [16, 16] }),
        title: label,
        alt: label,
        keyboard: true,
        riseOnHover: true
      });
      m.on("add", function () {
        var p = m.getElement();
        if (!p) return;
        p.setAttribute("data-situation-id", s.id);
        p.setAttribute("data-status", cat);
        p.setAttribute("role", "button");
        p.setAttribute("aria-label", label);
      });
      m.bindPopup(function () { return situationPopup(s, null); }, { maxWidth: 320 });
      group.addLayer(m);
      state.sitLayers[s.id] = m;
    });
    group.addTo(map);
    state.sitLayer = group;
  }

  // situationPopup builds a popup's content as elements: status, since
  // when, and each change with the events behind it.
  function situationPopup(s, corridor) {
    var box = el("div", { "class": "sit-popup" });
    box.appendChild(el("h3", null, corridor ? corridor.name : s.subject));
    if (!s) {
      box.appendChild(el("p", null, t("sit_none")));
    } else {
      var st = el("p");
      st.appendChild(el("strong", null, statusLabel(s.status)));
      if (s.since) st.appendChild(document.createTextNode(" " + t("since", { date: s.since })));
      box.appendChild(st);
    }
    if (corridor && corridor.towns && corridor.towns.length) box.appendChild(el("p", { "class": "hint" }, corridor.towns.join(" · ")));
    var hist = s ? (s.history || []).slice().reverse().slice(0, 6) : [];
    if (hist.length) {
      var ol = el("ol", { "reversed": "" });
      hist.forEach(function (h) {
        var li = el("li");
        li.appendChild(el("strong", null, h.date + " · " + statusLabel(h.status)));
        li.appendChild(el("div", null, h.why));
        (h.event_ids || []).slice(0, 6).forEach(function (id) {
          var b = el("button", { "type": "button", "data-event-id": id }, t("open_event", { id: id }));
          b.addEventListener("click", function () { openEvent(id); });
          li.appendChild(b);
        });
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    return box;
  }

  // renderSituations lists the situations as buttons, the keyboard's way
  // to the corridors, which are not focusable on the map.
  function renderSituations() {
    var ul = $("#situations-list");
    if (!ul) return;
    clear(ul);
    var body = state.situations;
    if (!body) return;
    $("#situations-at").textContent = t("as_of", { date: body.at });
    var sits = (body.situations || []).slice().sort(function (a, b) {
      var ca = SIT_CATS.indexOf(statusCat(a.status)), cb = SIT_CATS.indexOf(statusCat(b.status));
      return ca - cb || (a.since < b.since ? 1 : a.since > b.since ? -1 : 0);
    });
    $("#situations-note").textContent = sits.length ? "" : t("no_situations");
    sits.forEach(function (s) {
      var li = el("li", { "data-situation-id": s.id });
      var b = el("button", { "type": "button", "class": "item" });
      var meta = el("span", { "class": "meta" });
      var cat = statusCat(s.status);
      meta.appendChild(el("span", { "class": "sit-marker sit-" + cat, "aria-hidden": "true" }));
      meta.appendChild(document.createTextNode(t(s.kind === "route" ? "sit_route" : "sit_town")));
      b.appendChild(meta);
      b.appendChild(el("strong", null, s.subject + ": " + statusLabel(s.status)));
      if (s.since) b.appendChild(el("span", { "class": "why" }, t("since", { date: s.since })));
      b.addEventListener("click", function () { showSituation(s); });
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  function showSituation(s) {
    var layer = state.sitLayers[s.id];
    if (!layer) return;
    if (layer.getBounds) map.fitBounds(layer.getBounds(), { padding: [30, 30], maxZoom: 8 });
    else map.setView(layer.getLatLng(), Math.max(map.getZoom(), 7));
    layer.openPopup();
    var node = document.querySelector(".leaflet-popup-content button, .leaflet-popup-close-button");
    if (node) node.focus();
  }

  // legendSituations adds the corridor and town classes present on the map.
  function legendSituations(box) {
    var body = state.situations;
    if (!body || !(body.corridors || []).length) return;
    var present = { none: true };
    (body.situations || []).forEach(function (s) { present[statusCat(s.status)] = true; });
    var group = el("div", { "class": "legend-group" });
    group.appendChild(el("h3", null, t("legend_situations")));
    var ul = el("ul");
    SIT_CATS.concat(["other"]).forEach(function (cat) {
      if (!present[cat]) return;
      var li = el("li", { "data-status": cat });
      var sw = el("span", { "class": "line" + (cat === "threatened" || cat === "stale" ? " dashed" : ""), "aria-hidden": "true" });
      sw.style.borderTopColor = SIT_COLORS[cat];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(t("sit_" + cat)));
      ul.appendChild(li);
    });
    if ((body.situations || []).some(function (s) { return s.kind === "town"; })) {
      var li = el("li");
      li.appendChild(el("span", { "class": "sit-marker sit-closed", "aria-hidden": "true" }));
      li.appendChild(document.createTextNode(t("sit_town_marker")));
      ul.appendChild(li);
    }
    group.appendChild(ul);
    box.appendChild(group);
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
      var w = s.by_week || [];
      if (w.length) state.lastDay = addDays(w[w.length - 1].start, 6);
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
    // The chart is drawn at a fixed pixel width: refit it whenever its box
    // changes size (window resized, panel opened, phone rotated), not only on
    // the window's resize event, which can arrive after the layout has changed.
    if (window.ResizeObserver) new ResizeObserver(relayout).observe($("#timeline"));
    window.addEventListener("resize", relayout);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
