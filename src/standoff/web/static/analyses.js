// The analyses on the page, each through its API route (and so its task): models side by side
// with the edits and named what-ifs (POST /api/compare), Monte Carlo (/api/montecarlo), levers
// (/api/levers), win-sets (/api/winsets), the timeline over the events (/api/timeline).
"use strict";

function setupAnalyses() {
  $("compare-models").replaceChildren(...state.models.map((m) => el("label", {class: "check", title: m.summary},
    el("input", {type: "checkbox", value: m.name, ...(m.name === "compromise" ? {checked: ""} : {})}), m.title)));
  $("add-whatif").addEventListener("click", () => addWhatIf());
  $("compare-button").addEventListener("click", () => runAnalysis("compare"));
  $("mc-button").addEventListener("click", () => runAnalysis("montecarlo"));
  $("levers-button").addEventListener("click", () => runAnalysis("levers"));
  $("winsets-button").addEventListener("click", () => runAnalysis("winsets"));
  $("timeline-button").addEventListener("click", () => runAnalysis("timeline"));
}

function renderAnalysisControls() {
  const v = state.view;
  const select = $("levers-for");
  const keep = select.value;
  select.replaceChildren(...(v ? [...v.actors.map((a) => el("option", {value: a.id, text: a.name})),
    ...v.groups.map((g) => el("option", {value: g.id, text: `${g.name} (group)`}))] : []));
  if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
}

function addWhatIf(name = "", changes = "") {
  const row = el("div", {class: "whatif row"},
    el("label", {class: "in"}, el("span", {text: "name"}), el("input", {type: "text", class: "wi-name", value: name,
      placeholder: "e.g. without Bolton", "aria-label": "what-if name"})),
    el("label", {class: "in"}, el("span", {text: "changes, one a line: without ACTOR, ACTOR.ISSUE.position=VALUE, ACTOR.capability=+20%"}),
      el("textarea", {class: "wi-changes", rows: 2, cols: 48, "aria-label": "what-if changes"}, changes)));
  const remove = el("button", {type: "button", class: "small remove", text: "×", title: "remove this what-if"});
  remove.addEventListener("click", () => row.remove());
  row.append(remove);
  $("whatifs").append(row);
  return row;
}

function whatIfs() {
  return [...$("whatifs").querySelectorAll(".whatif")].map((row) => ({
    name: row.querySelector(".wi-name").value.trim(),
    changes: row.querySelector(".wi-changes").value.split("\n").map((x) => x.trim()).filter(Boolean),
  })).filter((w) => w.name || w.changes.length);
}

const ANALYSES = {
  compare: {path: "/api/compare", note: "compare-note", button: "compare-button", render: renderCompare,
    body: () => ({models: [...$("compare-models").querySelectorAll("input:checked")].map((i) => i.value),
      what_ifs: whatIfs(), params: paramValues()})},
  montecarlo: {path: "/api/montecarlo", note: "mc-note", button: "mc-button", render: renderMC,
    body: () => ({model: $("model-select").value, params: paramValues(), draws: Number($("mc-draws").value),
      seed: Number($("mc-seed").value), noise: Number($("mc-noise").value), tornado: $("mc-tornado").checked})},
  levers: {path: "/api/levers", note: "levers-note", button: "levers-button", render: renderLevers,
    body: () => ({model: $("model-select").value, params: paramValues(), for: $("levers-for").value,
      step: Number($("levers-step").value), top: Number($("levers-top").value)})},
  winsets: {path: "/api/winsets", note: "winsets-note", button: "winsets-button", render: renderWinsets,
    body: () => ({model: $("model-select").value, params: paramValues(), joint: $("winsets-joint").checked})},
  timeline: {path: "/api/timeline", note: "timeline-note", button: "timeline-button", render: renderTimeline,
    body: () => ({model: $("model-select").value, params: paramValues()}), dated: false},
};

async function runAnalysis(kind) {
  if (!state.source) return;
  const a = ANALYSES[kind];
  showError(null);
  const button = $(a.button);
  button.disabled = true;
  $(a.note).textContent = "Running…";
  try {
    const scenario = a.dated === false ? {...state.source} : {...state.source, as_of: asOf(), changes: changes()};
    const r = await postJSON(a.path, {...scenario, ...a.body()});
    a.render(r);
    loadRuns();
  } catch (e) {
    $(a.note).textContent = "The run failed; see the message above.";
    showError(e);
  } finally {
    button.disabled = false;
  }
}

function renderStored(kind, view) {
  const render = {compare: renderCompare, sensitivity: renderMC, levers: renderLevers, winsets: renderWinsets,
    timeline: renderTimeline}[kind];
  if (render) render(view);
}

function cell(value, cls = "num") { return el("td", {class: cls, text: typeof value === "number" ? fmt(value) : (value ?? "—")}); }

function table(id, heads, rows) {
  const t = $(id);
  t.replaceChildren(el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", {text: h})))), el("tbody", {}, ...rows));
  t.hidden = false;
}

// --- models side by side, edits and what-ifs -------------------------------------------------
function renderCompare(r) {
  const cols = r.columns.slice(1);
  $("compare-note").textContent = `${r.title}, as of ${r.date}: ${r.models.join(", ")} (run ${r.run_id}).` +
    (r.what_ifs.length ? " What-ifs: " + r.what_ifs.map((w) => `${w.name} = ${w.changes}`).join("; ") + "." : "");
  const names = state.view ? Object.fromEntries(state.view.actors.map((a) => [a.id, a.name])) : {};
  const before = (c) => {  // the value an edit replaced, from the table's scenario
    const a = state.view?.actors.find((x) => x.id === c.actor);
    if (!a) return null;
    return c.field === "capability" ? a.capability : c.field === "position" ? a.positions[c.issue] : a.salience[c.issue];
  };
  $("compare-edits").replaceChildren(...(r.changes || []).map((c) => el("li", {"data-actor": c.actor,
    text: `${names[c.actor] || c.actor}: ${c.field}${c.issue ? " on " + c.issue : ""} ${num(before(c))} → ${num(c.to)}`})));
  const heads = ["Model", "Issue", "baseline", ...cols.flatMap((c) => [c, "change"])];
  const rows = r.rows.map((x) => el("tr", {"data-model": x.model, "data-issue": x.issue},
    el("td", {text: x.model}), el("td", {text: x.title}),
    el("td", {class: "num", "data-col": "baseline", text: fmt(x.baseline)}),
    ...cols.flatMap((c) => [el("td", {class: "num value", "data-col": c, text: fmt(x[c])}),
      el("td", {class: "num delta", text: (x[`${c}: change`] >= 0 ? "+" : "") + fmt(x[`${c}: change`])})])));
  table("compare-table", heads, rows);
  $("compare-export").replaceChildren(...exportLinks(r.run_id));
}

// --- Monte Carlo ----------------------------------------------------------------------------
function renderMC(r) {
  $("mc-note").textContent = `${r.title}, as of ${r.date}: ${r.model}, ${r.draws} draws, seed ${r.seed}` +
    (r.noise ? `, noise ${r.noise}` : "") + ` (run ${r.run_id}); ${r.uncertain_inputs.length} uncertain inputs.` +
    (r.uncertain_inputs.length ? "" : " With no ranges and no noise every draw is the same.") +
    (Object.keys(r.outcomes || {}).length ? " Nearest named deal: " +
      Object.entries(r.outcomes).map(([k, p]) => `${k} ${(100 * p).toFixed(0)}%`).join(", ") + "." : "");
  const band = (b) => (b ? `${fmt(b[0])}–${fmt(b[1])}` : "—");
  table("mc-table", ["Issue", "Median", "Mean", "SD", "80% interval", "95% interval", "Calibrated 80%"],
    r.issues.map((i) => el("tr", {"data-issue": i.issue}, el("td", {text: i.title}),
      el("td", {class: "num median", text: fmt(i.median)}), cell(i.mean), cell(i.sd),
      el("td", {class: "num", text: band(i.p80)}), el("td", {class: "num", text: band(i.p95)}),
      el("td", {class: "num", text: band(i.calibrated80)}))));
  $("mc-charts").replaceChildren(...r.issues.map(histogramChart));
  $("mc-tornado-table").hidden = true;
  if (r.tornado && r.tornado.length) {
    const keys = Object.keys(r.tornado[0]);
    table("mc-tornado-table", keys, r.tornado.slice(0, 30).map((t) => el("tr", {}, ...keys.map((k) =>
      typeof t[k] === "number" ? cell(t[k]) : el("td", {text: String(t[k] ?? "")})))));
  }
  $("mc-export").replaceChildren(...exportLinks(r.run_id));
}

function histogramChart(i) {
  const marks = i.anchors.length ? i.anchors : [{value: i.min, label: ""}, {value: i.max, label: ""}];
  const labelRows = Math.max(...marks.map((a) => lines(`${num(a.value)} ${a.label}`.trim(), 14).length));
  const W = 600, left = 40, right = 20, top = 26, bottom = 24 + 2 * labelRows * 11, H = 140 + bottom;
  const {edges, counts} = i.histogram;
  const span = i.max - i.min || 1;
  const x = (v) => left + ((v - i.min) / span) * (W - left - right);
  const most = Math.max(...counts, 1);
  const y = (c) => top + (1 - c / most) * (H - top - bottom);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img", class: "histogram",
    "aria-label": `${i.title}: Monte Carlo histogram with the 80% and 95% intervals`});
  const base = H - bottom;
  svg.append(el("svg:rect", {x: x(i.p95[0]), width: Math.max(1, x(i.p95[1]) - x(i.p95[0])), y: top - 6,
    height: base - top + 6, fill: "#e3eef8", class: "band95"}, el("svg:title", {text: `95%: ${fmt(i.p95[0])}–${fmt(i.p95[1])}`})));
  svg.append(el("svg:rect", {x: x(i.p80[0]), width: Math.max(1, x(i.p80[1]) - x(i.p80[0])), y: top - 6,
    height: base - top + 6, fill: "#c5dcf0", class: "band80"}, el("svg:title", {text: `80%: ${fmt(i.p80[0])}–${fmt(i.p80[1])}`})));
  counts.forEach((c, b) => svg.append(el("svg:rect", {x: x(edges[b]) + 0.5, width: Math.max(0.5, x(edges[b + 1]) - x(edges[b]) - 1),
    y: y(c), height: base - y(c), fill: "#1f5f99", class: "bin", "data-count": c},
    el("svg:title", {text: `${fmt(edges[b])}–${fmt(edges[b + 1])}: ${c} draws`}))));
  svg.append(el("svg:line", {x1: x(i.median), x2: x(i.median), y1: top - 10, y2: base, stroke: "#c2410c", "stroke-width": 2.5}));
  svg.append(el("svg:text", {x: x(i.median), y: top - 13, "text-anchor": "middle", class: "fc", text: `median ${fmt(i.median)}`}));
  svg.append(el("svg:line", {x1: x(i.min), x2: x(i.max), y1: base, y2: base, stroke: "#9aa5b1"}));
  let lastX = -1e9, level = 0;
  for (const a of [...marks].sort((p, q) => p.value - q.value)) {
    const ax = x(a.value);
    level = ax - lastX < 120 ? 1 - level : 0;
    lastX = ax;
    const drop = level * labelRows * 11;
    svg.append(el("svg:line", {x1: ax, x2: ax, y1: base, y2: base + 5 + drop, stroke: "#52606d"}));
    const t = el("svg:text", {x: ax, y: base + 16 + drop, "text-anchor": ax < left + 30 ? "start" : ax > W - 50 ? "end" : "middle",
      class: "point-label"});
    lines(`${num(a.value)} ${a.label}`.trim(), 14).forEach((row, k) => t.append(el("svg:tspan", {x: ax, dy: k ? 11 : 0, text: row})));
    t.append(el("svg:title", {text: `${num(a.value)} ${a.label}`}));
    svg.append(t);
  }
  return el("div", {class: "chart", "data-issue": i.issue}, el("h3", {text: i.title}), svg,
    el("p", {class: "points", text: "Bars: draws per bin; shaded: the 80% (darker) and 95% intervals; orange: the median." +
      (Object.keys(i.points || {}).length ? " Nearest labelled point: " +
        Object.entries(i.points).map(([k, p]) => `${k} ${(100 * p).toFixed(0)}%`).join(", ") + "." : "")}));
}

// --- levers, win-sets, timeline ---------------------------------------------------------------
function renderLevers(r) {
  $("levers-note").textContent = `Toward ${r.for} with ${r.model} (run ${r.run_id}): distance now ${fmt(r.baseline_distance)}; ` +
    "each row is one change and how much closer it brings the forecast.";
  const issues = Object.keys(r.baseline);
  table("levers-table", ["Rank", "Change", "Gain", "Distance", ...issues],
    r.levers.map((l) => el("tr", {}, cell(l.rank), el("td", {text: l.change}), cell(l.gain), cell(l.distance),
      ...issues.map((i) => cell(l[i])))));
  $("levers-export").replaceChildren(...exportLinks(r.run_id));
}

function renderWinsets(r) {
  $("winsets-note").textContent = `${r.title}, as of ${r.date}, ${r.model} (run ${r.run_id}): per issue the ` +
    "intersection of the parties' win-sets, the unconstrained forecast and the deal." +
    (r.nearest_outcome ? ` Nearest named outcome: ${r.nearest_outcome}.` : "") + (r.notes?.length ? " " + r.notes.join(" ") : "");
  table("winsets-table", ["Issue", "Status quo", "Win-sets meet from", "to", "Unconstrained", "Deal", "Nearest point", "Empty?"],
    r.issues.map((i) => el("tr", {"data-issue": i.issue}, el("td", {text: i.title}), cell(i.status_quo), cell(i.low), cell(i.high),
      cell(i.unconstrained), el("td", {class: "num value", text: fmt(i.deal)}), el("td", {text: i.nearest_point || "—"}),
      el("td", {text: i.empty ? "yes" : "no"}))));
  $("winsets-export").replaceChildren(...exportLinks(r.run_id));
}

function renderTimeline(r) {
  const rows = r.timeline;
  const dates = [...new Set(rows.map((x) => String(x.date).slice(0, 10)))];
  $("timeline-note").textContent = `${r.title}: ${r.model} at the baseline and after each of ${dates.length - 1} event dates (run ${r.run_id}).`;
  const value = (d, i) => rows.find((x) => String(x.date).slice(0, 10) === d && x.issue === i)?.value;
  const eventsOn = (d) => rows.find((x) => String(x.date).slice(0, 10) === d)?.events || "";
  table("timeline-table", ["Date", ...r.issues.map((i) => i.title), "Events"],
    dates.map((d) => el("tr", {"data-date": d}, el("td", {text: d}), ...r.issues.map((i) => cell(value(d, i.id))),
      el("td", {class: "events", text: eventsOn(d)}))));
  $("timeline-charts").replaceChildren(...r.issues.map((i) => timelineChart(i, dates, dates.map((d) => value(d, i.id)), eventsOn)));
  $("timeline-export").replaceChildren(...exportLinks(r.run_id));
}

function timelineChart(issue, dates, values, eventsOn) {
  const W = 600, H = 170, left = 60, right = 20, top = 14, bottom = 40;
  const n = dates.length;
  const x = (k) => left + (n > 1 ? k / (n - 1) : 0.5) * (W - left - right);
  const y = (v) => top + (1 - (v - issue.min) / (issue.max - issue.min || 1)) * (H - top - bottom);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img", class: "timeline",
    "aria-label": `${issue.title}: the forecast after each event date`});
  const ticks = issue.anchors.length ? issue.anchors : [{value: issue.min, label: ""}, {value: issue.max, label: ""}];
  for (const a of ticks) {
    svg.append(el("svg:line", {x1: left, x2: W - right, y1: y(a.value), y2: y(a.value), stroke: "#eef1f4"}));
    svg.append(el("svg:text", {x: left - 6, y: y(a.value) + 4, "text-anchor": "end", text: num(a.value)},
      el("svg:title", {text: `${num(a.value)} ${a.label}`})));
  }
  const ok = values.map((v, k) => [v, k]).filter(([v]) => v !== undefined && v !== null);
  svg.append(el("svg:path", {d: ok.map(([v, k], m) => `${m ? "L" : "M"}${x(k)},${y(v)}`).join(" "), fill: "none",
    stroke: "#c2410c", "stroke-width": 2}));
  ok.forEach(([v, k]) => svg.append(el("svg:circle", {cx: x(k), cy: y(v), r: 3, fill: "#c2410c"},
    el("svg:title", {text: `${dates[k]}: ${fmt(v)}${eventsOn(dates[k]) ? " — " + eventsOn(dates[k]) : ""}`}))));
  const step = Math.max(1, Math.ceil(n / 6));
  for (let k = 0; k < n; k += step) {
    svg.append(el("svg:text", {x: x(k), y: H - bottom + 16, "text-anchor": "middle", text: dates[k]}));
  }
  return el("div", {class: "chart", "data-issue": issue.id}, el("h3", {text: issue.title}), svg);
}
