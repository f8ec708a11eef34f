// Standoff's page: plain JavaScript over the JSON API (/api/...), charts drawn as inline SVG.
// app.js: the shared helpers, the scenario table of edits, a model run and its charts, the
// parameters, the report, the crisis game, stored runs. editor.js: building and saving a case.
// analyses.js: models side by side, what-ifs, Monte Carlo, levers, win-sets, the timeline.
"use strict";

const state = {
  source: null,   // {case: "korea-2018"}, {scenario_yaml: "...", filename: "x.yaml"} or {scenario: {...}}
  doc: null,      // the case as the editor holds it: the mapping a YAML scenario file holds
  view: null,     // the scenario as the table shows it (its values as of the date)
  edits: new Map(), // "actor|field|issue" -> number
  models: [],     // GET /api/models: name, title, params [{name, type, default, description, rule, ...}]
};
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class" && !(node instanceof SVGElement)) node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function fmt(x, digits = 2) {  // a forecast value: fixed decimals
  return x === null || x === undefined ? "—" : Number(x).toFixed(digits);
}
function num(x) {  // a value from the scenario: as written, at most three decimals
  return x === null || x === undefined ? "—" : String(Number(Number(x).toFixed(3)));
}

// --- talking to the API ---------------------------------------------------------------------
async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw {detail: "the server cannot be reached: " + e.message, problems: []};
  }
  const body = await response.json().catch(() => ({detail: `${response.status} ${response.statusText}`}));
  if (!response.ok) throw body;
  return body;
}

function showError(body) {
  const box = $("error");
  if (!body) { box.hidden = true; box.textContent = ""; return; }
  const problems = body.problems || [];
  const lines = problems.length > 1
    ? [`${body.file ? body.file + ": " : ""}${problems.length} problems`]
    : [String(body.detail || body.message || body)];
  if (problems.length > 1) {
    for (const p of problems) {
      const place = [p.line ? `line ${p.line}` : null, p.where || null].filter(Boolean).join(", ");
      lines.push(`• ${place ? place + ": " : ""}${p.message}${p.fix ? " — " + p.fix : ""}`);
    }
  }
  box.textContent = lines.join("\n");
  box.hidden = false;
}

function asOf() { return $("as-of").value || null; }

// --- the scenario table ---------------------------------------------------------------------
function editKey(actor, field, issue) { return `${actor}|${field}|${issue || ""}`; }

function valueInput(actor, field, issue, value, cls, lo, hi) {
  const key = editKey(actor, field, issue);
  const shown = state.edits.has(key) ? state.edits.get(key) : value;
  const input = el("input", {type: "number", step: "any", min: lo, max: hi, value: shown,
    class: cls + (state.edits.has(key) ? " edited" : ""),
    "data-actor": actor, "data-field": field, "data-issue": issue || "",
    "aria-label": `${field} of ${actor}${issue ? " on " + issue : ""}`});
  input.addEventListener("change", () => {
    const x = Number(input.value);
    if (input.value === "" || Number.isNaN(x) || x === value) {
      state.edits.delete(key);
      input.value = value;
      input.classList.remove("edited");
    } else {
      state.edits.set(key, x);
      input.classList.add("edited");
    }
    saveWork();
  });
  return input;
}

function renderScenario() {
  const v = state.view;
  const table = $("scenario-table");
  table.replaceChildren();
  if (!v) return;
  $("scenario-title").textContent = v.title;
  $("scenario-note").textContent = `${v.actors.length} actors, ${v.issues.length} issues; values as of ${v.date}` +
    (v.last_event ? ` (events up to ${v.last_event})` : "") + ".";
  const head = el("tr", {}, el("th", {text: "Actor"}), el("th", {text: "Group"}),
    el("th", {class: "num", text: "Capability"}));
  for (const issue of v.issues) {
    head.append(el("th", {title: issue.id}, issue.title, el("br"),
      el("span", {text: `position ${num(issue.min)}–${num(issue.max)} · salience`})));
  }
  table.append(el("thead", {}, head));
  const body = el("tbody");
  const groups = Object.fromEntries(v.groups.map((g) => [g.id, g.name]));
  let last;
  for (const a of v.actors) {
    const row = el("tr", {class: a.group !== last ? "group-start" : null, "data-actor": a.id});
    last = a.group;
    row.append(el("td", {text: a.name, title: a.id}), el("td", {text: groups[a.group] || a.group || ""}));
    row.append(el("td", {class: "num"}, valueInput(a.id, "capability", null, a.capability, "cap", 0, null)));
    for (const issue of v.issues) {
      row.append(el("td", {class: "cell"},
        valueInput(a.id, "position", issue.id, a.positions[issue.id], "pos", issue.min, issue.max), " ",
        valueInput(a.id, "salience", issue.id, a.salience[issue.id], "sal", 0, 100)));
    }
    body.append(row);
  }
  table.append(body);
}

function changes() {
  return [...state.edits.entries()].map(([key, to]) => {
    const [actor, field, issue] = key.split("|");
    return {actor, field, issue: issue || null, to};
  });
}

function postJSON(path, body) {
  return api(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
}

// Open a scenario (a built-in case, an uploaded YAML text or the editor's case): checked by the
// server, then shown in the editor, the table of edits and the crisis controls.
async function openSource(source, {keepEdits = false} = {}) {
  const r = await postJSON("/api/scenarios/check", {...source, as_of: asOf()});
  state.source = source;
  state.doc = r.scenario;
  state.view = r.view;
  editor.edited = false;
  showProblems([]);
  setStatus("ok", `✓ Valid: ${r.view.actors.length} actors, ${r.view.issues.length} issues.`);
  if (!keepEdits) state.edits.clear();
  afterScenario();
  return r;
}

function afterScenario() {  // redraw everything that shows the scenario
  renderScenario();
  renderCrisisControls();
  updateReportLink();
  if (typeof renderEditor === "function") renderEditor();
  if (typeof renderAnalysisControls === "function") renderAnalysisControls();
  if (typeof saveWork === "function") saveWork();
  if (typeof loadHistory === "function") loadHistory();
}

async function loadCase(name) {
  showError(null);
  try {
    await openSource({case: name});
    clearForecast();
  } catch (e) { showError(e); }
}

async function loadUpload(file) {
  showError(null);
  try {
    const text = await file.text();
    await openSource({scenario_yaml: text, filename: file.name});
    const select = $("case-select");
    select.querySelector("option[value='']")?.remove();
    select.prepend(el("option", {value: "", text: `uploaded: ${file.name}`}));
    select.value = "";
    clearForecast();
  } catch (e) {
    $("upload-input").value = "";  // so that picking the same file again, once fixed, reloads it
    showError(e);
  }
}

async function reload() {
  if (!state.source) return;
  showError(null);
  try {
    await openSource(state.source);
    clearForecast();
  } catch (e) { showError(e); }
}

// --- running a model ------------------------------------------------------------------------
async function run() {
  if (!state.source) return;
  showError(null);
  const button = $("run-button");
  button.disabled = true;
  $("forecast-note").textContent = "Running…";
  try {
    const body = {...state.source, model: $("model-select").value, as_of: asOf(), changes: changes(),
      params: paramValues()};
    const result = await postJSON("/api/run", body);
    renderForecast(result);
    loadRuns();
  } catch (e) {
    $("forecast-note").textContent = "The last run failed; see the message above.";
    showError(e);
  } finally {
    button.disabled = false;
  }
}

function clearForecast() {
  $("forecast-export").replaceChildren();
  $("forecast-table").hidden = true;
  $("forecast-table").replaceChildren();
  $("charts").replaceChildren();
  $("forecast-note").textContent = "Press Run to forecast.";
}

function renderForecast(r) {
  const edits = r.changes.length ? `, ${r.changes.length} edited value${r.changes.length > 1 ? "s" : ""}` : "";
  let note = `${r.title}, as of ${r.date}: model ${r.model}${edits} (run ${r.run_id}).`;
  if (r.nearest_outcome) note += ` Nearest named outcome: ${r.nearest_outcome} (distance ${fmt(r.nearest_outcome_distance, 1)} on a 0–100 scale).`;
  $("forecast-note").textContent = note;
  const table = $("forecast-table");
  table.replaceChildren(el("thead", {}, el("tr", {},
    el("th", {text: "Issue"}), el("th", {class: "num", text: "Forecast"}), el("th", {class: "num", text: "80% band"}),
    el("th", {text: "Nearest labelled point"}),
    el("th", {class: "num", text: "Status quo"}), el("th", {class: "num", text: "Rounds"}))));
  const body = el("tbody");
  for (const f of r.issues) {
    body.append(el("tr", {"data-issue": f.id},
      el("td", {text: f.title}),
      el("td", {class: "num value", text: fmt(f.value)}),
      el("td", {class: "num", text: f.band80 ? `${fmt(f.band80[0])}–${fmt(f.band80[1])}` : "—"}),
      el("td", {text: f.nearest_point ? `${f.nearest_point} (${num(f.nearest_point_value)})` : "—"}),
      el("td", {class: "num", text: num(f.status_quo)}),
      el("td", {class: "num", text: f.rounds ?? (f.trajectory ? f.trajectory.length - 1 : "—")})));
  }
  table.append(body);
  table.hidden = false;
  if (r.calibration) {
    $("forecast-note").textContent += ` Bands from out-of-sample errors on ${r.calibration.name} (n = ${r.calibration.n}).`;
  }
  if (r.odds) {
    const odds = Object.entries(r.odds).map(([k, p]) => `${k} ${(100 * p).toFixed(0)}%`);
    $("forecast-note").textContent += ` Named outcomes: ${odds.join(", ")} (P(no deal) ${r.odds_detail.p_no_deal}).`;
  }
  if (r.outcome_probabilities) {
    const odds = Object.entries(r.outcome_probabilities).map(([k, p]) => `${k} ${(100 * p).toFixed(0)}%`);
    $("forecast-note").textContent += ` Outcome probabilities: ${odds.join(", ")}.`;
  }
  const charts = $("charts");
  charts.replaceChildren(...r.issues.map(issueChart));
  $("forecast-export").replaceChildren(...exportLinks(r.run_id));
}

function exportLinks(runId, what = "this run's tables") {  // CSV and XLSX of a stored run
  return [el("span", {text: `Export ${what}: `}),
    el("a", {href: `/api/export/runs/${runId}?format=csv`, download: "", "data-format": "csv", text: "CSV"}), " · ",
    el("a", {href: `/api/export/runs/${runId}?format=xlsx`, download: "", "data-format": "xlsx", text: "XLSX"})];
}

// --- model parameters -----------------------------------------------------------------------
function chosenModel() { return state.models.find((m) => m.name === $("model-select").value); }

function renderParams() {
  const m = chosenModel();
  const box = $("params"), fields = $("params-fields");
  fields.replaceChildren();
  if (!m || !m.params.length) { box.hidden = true; return; }
  $("params-model").textContent = m.title;
  const more = el("details", {class: "more-params"}, el("summary", {text: "More parameters (variants and engine switches)"}));
  const moreFields = el("div", {class: "params-fields"});
  more.append(moreFields);
  for (const p of m.params.filter((q) => q.type !== "other")) {
    const shown = p.default === null ? "none" : String(p.default);
    let input;
    if (p.type === "bool" || p.choices) {
      const options = p.choices ? p.choices.map(String) : ["true", "false"];
      input = el("select", {}, el("option", {value: "", text: `default (${shown})`}),
        ...options.map((c) => el("option", {value: c, text: c})));
    } else {
      input = el("input", {type: "text", placeholder: shown,
        inputmode: p.type === "str" ? null : p.type === "int" ? "numeric" : "decimal"});
    }
    input.dataset.param = p.name;
    input.dataset.type = p.type;
    input.setAttribute("aria-label", `parameter ${p.name} (${p.rule || p.type}, default ${shown})`);
    input.addEventListener("change", () => input.classList.toggle("set", input.value.trim() !== ""));
    const label = el("label", {title: `${p.name}: ${p.description}`},
      el("span", {class: "pname", text: p.name}), input,
      el("small", {class: "desc", text: p.description}),
      el("small", {class: "rule", text: `${p.rule || p.type}; default ${shown}`}));
    (p.advanced ? moreFields : fields).append(label);
  }
  if (moreFields.childElementCount) fields.append(more);
  const other = m.params.filter((q) => q.type === "other").map((q) => q.name);
  $("params-note").textContent = other.length
    ? `${other.join(", ")}: lists, set on the command line (standoff forecast --param).` : "";
  box.hidden = false;
}

function paramValues() {  // only the parameters given; numbers as numbers, anything else as typed
  const out = {};
  for (const input of $("params-fields").querySelectorAll("[data-param]")) {
    const raw = input.value.trim();
    if (raw === "") continue;
    const type = input.dataset.type;
    if (type === "bool") out[input.dataset.param] = raw === "true";
    else if ((type === "int" || type === "float") && !Number.isNaN(Number(raw))) out[input.dataset.param] = Number(raw);
    else out[input.dataset.param] = raw;  // the server says what is wrong with it
  }
  return out;
}

// --- the report -----------------------------------------------------------------------------
function reportUrl() {  // a shareable link: a built-in case with no edited values
  if (!state.source || !state.source.case || state.edits.size) return "#";
  const q = new URLSearchParams({case: state.source.case, models: $("model-select").value});
  const params = paramValues();
  if (Object.keys(params).length) q.set("params", JSON.stringify(params));
  if (asOf()) q.set("as_of", asOf());
  return `/api/report?${q}`;
}

function updateReportLink() {
  const link = $("report-link");
  const ok = Boolean(state.source);
  link.setAttribute("aria-disabled", ok ? "false" : "true");
  link.title = ok ? "The HTML report of this scenario, with the edited values, the chosen model and parameters (opens a new tab)"
    : "Pick a case or upload a scenario first";
}

async function openReport(event) {
  // fetch first so that an error (a bad parameter) shows here; the report opens in a new tab
  event.preventDefault();
  if (!state.source) return;
  showError(null);
  $("report-link").href = reportUrl();
  const tab = window.open("", "_blank");
  if (tab) tab.document.write("<p style='font: 15px system-ui'>Writing the report…</p>");
  try {
    const body = {...state.source, models: [$("model-select").value], as_of: asOf(), changes: changes(),
      params: paramValues()};
    const response = await fetch("/api/report", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)});
    if (!response.ok) throw await response.json().catch(() => ({detail: `${response.status} ${response.statusText}`}));
    const url = `/reports/${response.headers.get("X-Run-Id")}`;
    if (tab) tab.location = url; else window.location = url;
    loadRuns();
  } catch (e) {
    if (tab) tab.close();
    showError(e);
  }
}

// --- the crisis game ------------------------------------------------------------------------
function renderCrisisControls() {
  const v = state.view;
  const section = $("crisis");
  const ok = v && v.groups.length >= 2 && v.outcomes.some((o) => o.kind === "crisis");
  section.hidden = !ok;
  $("crisis-chart").hidden = true;
  $("crisis-note").textContent = "";
  if (!ok) return;
  const options = () => v.groups.map((g) => el("option", {value: g.id, text: g.name || g.id}));
  $("crisis-a").replaceChildren(...options());
  $("crisis-b").replaceChildren(...options());
  $("crisis-a").value = v.groups[0].id;
  $("crisis-b").value = v.groups[1].id;
}

async function solveCrisis() {
  if (!state.source) return;
  showError(null);
  const raw = $("crisis-lambda").value.trim();
  const lam = raw === "" ? 10 : Number.isNaN(Number(raw)) ? raw : Number(raw);
  const body = {...state.source, as_of: asOf(), changes: changes(),
    between: [$("crisis-a").value, $("crisis-b").value], lambda: lam};
  const button = $("crisis-button");
  button.disabled = true;
  try {
    const r = await postJSON("/api/crisis", body);
    renderCrisis(r);
    loadRuns();
  } catch (e) {
    $("crisis-chart").hidden = true;
    $("crisis-note").textContent = "The crisis game failed; see the message above.";
    showError(e);
  } finally {
    button.disabled = false;
  }
}

function renderCrisis(r) {
  $("crisis-note").textContent = `${r.a.name} (A) and ${r.b.name} (B), as of ${r.date}, λ = ${r.lambda} ` +
    `(run ${r.run_id}). Subgame-perfect path: ${r.path.join(" ")}`;
  const W = 720, left = 300, right = 70, row = 26, top = 22;
  const H = top + r.outcomes.length * row + 30;
  const x = (p) => left + p * (W - left - right);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `Crisis game between ${r.a.name} and ${r.b.name}: outcome probabilities`});
  for (const p of [0, 0.25, 0.5, 0.75, 1]) {
    svg.append(el("svg:line", {x1: x(p), x2: x(p), y1: top - 4, y2: H - 24, stroke: "#eef1f4"}));
    svg.append(el("svg:text", {x: x(p), y: H - 10, "text-anchor": "middle", text: `${100 * p}%`}));
  }
  r.outcomes.forEach((o, i) => {
    const y = top + i * row;
    const label = o.named_outcome !== o.outcome ? `${o.description} (${o.named_outcome})` : o.description;
    svg.append(textLines({x: left - 10, y: y + row / 2 + 4, "text-anchor": "end", class: "label"}, label, 48, 11));
    svg.append(el("svg:rect", {x: x(0), y: y + 4, width: Math.max(0.5, x(o.qre) - x(0)), height: row - 8,
      fill: "#1f5f99", class: "bar", "data-outcome": o.outcome, "data-p": o.qre},
      el("svg:title", {text: `${label}: ${(100 * o.qre).toFixed(1)}% (QRE); subgame-perfect play: ${o.spe > 0.5 ? "this outcome" : "not this"}`})));
    svg.append(el("svg:text", {x: x(o.qre) + 6, y: y + row / 2 + 4, text: `${(100 * o.qre).toFixed(1)}%`}));
    if (o.spe > 0.5) {
      svg.append(el("svg:text", {x: W - 4, y: y + row / 2 + 4, "text-anchor": "end", class: "fc", text: "SPE"}));
    }
  });
  const chart = $("crisis-chart");
  chart.replaceChildren(el("h3", {text: "Outcome probabilities (agent logit QRE)"}), svg,
    el("p", {class: "points", text: "Bars: the probability of each ending of the game; SPE marks " +
      "the ending of subgame-perfect play. In brackets: the scenario's named outcome it counts as."}));
  chart.hidden = false;
}

// --- charts (inline SVG) --------------------------------------------------------------------
function lines(text, width) {  // words wrapped into lines of at most `width` characters (a long word stays whole)
  const out = [];
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const last = out[out.length - 1];
    if (last !== undefined && (last + " " + word).length <= width) out[out.length - 1] = last + " " + word;
    else out.push(word);
  }
  return out.length ? out : [""];
}

function textLines(attrs, text, width, lineHeight = 12) {  // an SVG text of wrapped lines, centred on y
  const rows = lines(text, width);
  const node = el("svg:text", {...attrs, y: attrs.y - ((rows.length - 1) * lineHeight) / 2});
  rows.forEach((row, k) => node.append(el("svg:tspan", {x: attrs.x, dy: k ? lineHeight : 0, text: row})));
  node.append(el("svg:title", {text}));
  return node;
}

const PALETTE = ["#1f5f99", "#c2410c", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b", "#4a5568",
  "#d53f8c", "#718096", "#38a169", "#805ad5"];

function issueChart(f) {
  const W = 600, left = 200, right = 24, top = 40, nameWidth = 28, lineH = 12;
  const rows = f.actors.map((a) => Math.max(18, lines(a.name, nameWidth).length * lineH + 6));
  const plotH = rows.reduce((x, y) => x + y, 0);
  const anchorRows = f.anchors.length ? Math.max(...f.anchors.map((a) => lines(a.label, 14).length)) : 0;
  const H = top + plotH + 30 + (anchorRows ? 2 * anchorRows * lineH + 8 : 0);
  const span = f.max - f.min || 1;
  const x = (v) => left + ((v - f.min) / span) * (W - left - right);
  const maxW = Math.max(...f.actors.map((a) => a.weight), 1e-9);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `${f.title}: actors' positions and the forecast`});
  const axisY = top + plotH + 6;
  svg.append(el("svg:line", {x1: x(f.min), x2: x(f.max), y1: axisY, y2: axisY, stroke: "#9aa5b1"}));
  const ends = [f.min, f.max].filter((v) => !f.anchors.some((a) => a.value === v));
  for (const v of ends) {
    svg.append(el("svg:line", {x1: x(v), x2: x(v), y1: axisY, y2: axisY + 5, stroke: "#9aa5b1"}));
    svg.append(el("svg:text", {x: x(v), y: axisY + 16, "text-anchor": v === f.min ? "start" : "end", text: num(v)}));
  }
  // the labelled points on the axis: a tick, the value and the label under it (wrapped; neighbours
  // that would touch alternate between two rows)
  const sorted = [...f.anchors].sort((a, b) => a.value - b.value);
  let lastX = -1e9, level = 0;
  for (const a of sorted) {
    const ax = x(a.value);
    level = ax - lastX < 120 ? 1 - level : 0;
    lastX = ax;
    const y0 = axisY + 16 + level * anchorRows * lineH;
    const anchor = ax < left + 30 ? "start" : ax > W - right - 30 ? "end" : "middle";
    svg.append(el("svg:line", {x1: ax, x2: ax, y1: axisY - 4, y2: axisY + 6 + level * anchorRows * lineH,
      stroke: "#52606d", class: "point-tick"}));
    const label = el("svg:text", {x: ax, y: y0, "text-anchor": anchor, class: "point-label", "data-value": a.value});
    lines(`${num(a.value)} ${a.label}`, 14).forEach((row, k) =>
      label.append(el("svg:tspan", {x: ax, dy: k ? lineH : 0, text: row})));
    label.append(el("svg:title", {text: `${num(a.value)}: ${a.label}`}));
    svg.append(label);
  }
  if (f.status_quo !== null && f.status_quo !== undefined) {
    svg.append(el("svg:line", {x1: x(f.status_quo), x2: x(f.status_quo), y1: top - 8, y2: axisY,
      stroke: "#7b8794", "stroke-dasharray": "4 3"}));
    svg.append(el("svg:text", {x: x(f.status_quo), y: top - 11, "text-anchor": "middle", text: "status quo"}));
  }
  let y = top;
  f.actors.forEach((a, i) => {
    const mid = y + rows[i] / 2;
    svg.append(el("svg:line", {x1: x(f.min), x2: x(f.max), y1: mid, y2: mid, stroke: "#eef1f4"}));
    svg.append(textLines({x: left - 10, y: mid + 4, "text-anchor": "end", class: "label actor-name"}, a.name, nameWidth, lineH));
    const radius = 2.5 + 6 * Math.sqrt(a.weight / maxW);
    svg.append(el("svg:circle", {cx: x(a.position), cy: mid, r: radius, fill: "#1f5f99", "fill-opacity": 0.75},
      el("svg:title", {text: `${a.name}: position ${num(a.position)}, capability × salience ${fmt(a.weight, 3)}`})));
    y += rows[i];
  });
  svg.append(el("svg:line", {x1: x(f.value), x2: x(f.value), y1: top - 26, y2: axisY, stroke: "#c2410c", "stroke-width": 2.5}));
  const anchor = x(f.value) > W - 90 ? "end" : x(f.value) < left + 60 ? "start" : "middle";
  svg.append(el("svg:text", {x: x(f.value), y: top - 29, "text-anchor": anchor, class: "fc",
    text: `forecast ${fmt(f.value)}`}));
  const card = el("div", {class: "chart", "data-issue": f.id},
    el("h3", {text: f.title + (f.unit ? ` (${f.unit})` : "")}), svg);
  card.append(el("p", {class: "points", text: "Dot size: capability × salience. Orange line: the forecast" +
    (f.status_quo !== null && f.status_quo !== undefined ? "; dashed: the status quo" : "") +
    (f.anchors.length ? "; the labelled points are marked on the axis." : ".")}));
  if (f.trajectory && f.trajectory.length > 1) card.append(trajectoryChart(f));
  if (f.paths && f.trajectory && f.trajectory.length > 1) card.append(pathsChart(f));
  return card;
}

function trajectoryChart(f) {
  const W = 600, H = 130, left = 200, right = 24, top = 14, bottom = 28;
  const t = f.trajectory, T = t.length - 1;
  const lo = Math.min(f.min, ...t), hi = Math.max(f.max, ...t), span = hi - lo || 1;
  const x = (i) => left + (i / T) * (W - left - right);
  const y = (v) => top + (1 - (v - lo) / span) * (H - top - bottom);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `${f.title}: forecast round by round`});
  svg.append(el("svg:text", {x: left - 44, y: top + 40, "text-anchor": "end", class: "label", text: "forecast,"}));
  svg.append(el("svg:text", {x: left - 44, y: top + 54, "text-anchor": "end", class: "label", text: "round by round"}));
  svg.append(el("svg:text", {x: W - right, y: H - 2, "text-anchor": "end", text: "round"}));
  for (const v of [lo, (lo + hi) / 2, hi]) {
    svg.append(el("svg:line", {x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: "#eef1f4"}));
    svg.append(el("svg:text", {x: left - 8, y: y(v) + 4, "text-anchor": "end", text: num(v)}));
  }
  svg.append(el("svg:polyline", {points: t.map((v, i) => `${x(i)},${y(v)}`).join(" "), fill: "none",
    stroke: "#c2410c", "stroke-width": 2}));
  t.forEach((v, i) => svg.append(el("svg:circle", {cx: x(i), cy: y(v), r: 2.5, fill: "#c2410c"},
    el("svg:title", {text: `round ${i}: ${fmt(v)}`}))));
  const step = Math.max(1, Math.ceil(T / 10));
  for (let i = 0; i <= T; i += step) {
    svg.append(el("svg:text", {x: x(i), y: H - bottom + 16, "text-anchor": "middle", text: String(i)}));
  }
  return svg;
}

function pathsChart(f) {  // every actor's position round by round (models with rounds)
  const names = Object.fromEntries(f.actors.map((a) => [a.id, a.name]));
  const ids = Object.keys(f.paths);
  const T = Math.max(...ids.map((a) => f.paths[a].length)) - 1;
  const W = 600, H = 190, left = 200, right = 24, top = 12, bottom = 26;
  const x = (i) => left + (T ? i / T : 0) * (W - left - right);
  const y = (v) => top + (1 - (v - f.min) / (f.max - f.min || 1)) * (H - top - bottom);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img", class: "paths",
    "aria-label": `${f.title}: each actor's position round by round`});
  svg.append(textLines({x: left - 44, y: top + 50, "text-anchor": "end", class: "label"}, "each actor's position, round by round", 16));
  for (const v of [f.min, (f.min + f.max) / 2, f.max]) {
    svg.append(el("svg:line", {x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: "#eef1f4"}));
    svg.append(el("svg:text", {x: left - 8, y: y(v) + 4, "text-anchor": "end", text: num(v)}));
  }
  ids.forEach((a, k) => {
    const p = f.paths[a];
    svg.append(el("svg:path", {d: p.map((v, i) => `${i ? "L" : "M"}${x(i)},${y(v)}`).join(" "), fill: "none",
      stroke: PALETTE[k % PALETTE.length], "stroke-width": 1.6, "data-actor": a, class: "actor-path"},
      el("svg:title", {text: `${names[a] || a}: ${p.map((v) => fmt(v, 1)).join(" → ")}`})));
  });
  const step = Math.max(1, Math.ceil(T / 10));
  for (let i = 0; i <= T; i += step) {
    svg.append(el("svg:text", {x: x(i), y: H - bottom + 16, "text-anchor": "middle", text: String(i)}));
  }
  const legend = el("p", {class: "points legend"}, ...ids.map((a, k) =>
    el("span", {}, el("i", {style: `background:${PALETTE[k % PALETTE.length]}`}), names[a] || a)));
  return el("div", {}, svg, legend);
}

// --- stored runs ----------------------------------------------------------------------------
const RUN_COLUMNS = [["id", "Run"], ["created_at", "Recorded (UTC)"], ["kind", "Kind"], ["case", "Case"],
  ["as_of", "As of"], ["model", "Model"], ["content_hash", "Scenario hash"]];

async function loadRuns() {
  const table = $("runs-table");
  try {
    const runs = await api("/api/runs?limit=20");
    const cols = RUN_COLUMNS.filter(([k]) => runs.some((r) => r[k] !== undefined && r[k] !== null));
    table.replaceChildren(el("thead", {}, el("tr", {}, ...cols.map(([, t]) => el("th", {text: t})), el("th", {text: ""}))));
    const body = el("tbody");
    for (const r of runs) {
      const open = el("button", {type: "button", class: "small", "data-open": r.id, text: "Open",
        title: "Reopen this run in the page: its scenario, edits and results"});
      open.addEventListener("click", (e) => { e.stopPropagation(); openRun(r.id); });
      const links = r.kind === "report"
        ? [el("a", {href: `/reports/${r.id}`, target: "_blank", rel: "noopener", text: "report"})]
        : [el("a", {href: `/api/export/runs/${r.id}?format=csv`, download: "", text: "CSV"}), " ",
          el("a", {href: `/api/export/runs/${r.id}?format=xlsx`, download: "", text: "XLSX"})];
      for (const a of links) if (a.addEventListener) a.addEventListener("click", (e) => e.stopPropagation());
      const row = el("tr", {"data-run": r.id}, ...cols.map(([k]) =>
        el("td", {text: k === "created_at" ? String(r[k]).replace("T", " ").slice(0, 19)
          : k === "content_hash" ? String(r[k] ?? "").slice(0, 10) : (r[k] ?? "")})),
        el("td", {class: "actions"}, open, " ", ...links));
      row.addEventListener("click", () => showRun(r.id));
      body.append(row);
    }
    if (!runs.length) body.append(el("tr", {}, el("td", {text: "No runs yet."})));
    table.append(body);
  } catch (e) { showError(e); }
}

async function showRun(id) {
  try {
    const run = await api(`/api/runs/${id}`);
    const pre = $("run-detail");
    pre.textContent = JSON.stringify(run, null, 2);
    pre.hidden = false;
  } catch (e) { showError(e); }
}

// Reopen a stored run: its scenario in the editor and the table, its date and edits, and its
// results drawn where a new run of that kind would draw them.
async function openRun(id) {
  showError(null);
  try {
    const r = await api(`/api/runs/${id}/open`);
    state.source = r.case ? {case: r.case} : {scenario: r.scenario};
    state.doc = r.scenario;
    state.view = r.scenario_view;
    $("as-of").value = r.as_of && r.as_of !== "baseline" ? r.as_of : "";
    state.edits.clear();
    for (const c of r.changes || []) state.edits.set(editKey(c.actor, c.field, c.issue), c.to);
    if (r.case) $("case-select").value = r.case;
    afterScenario();
    const models = (r.model || "").split(",").filter((m) => state.models.some((x) => x.name === m));
    if (models.length === 1) { $("model-select").value = models[0]; renderParams(); }
    const view = r.view;
    const target = {forecast: "forecast-title", crisis: "crisis-title", compare: "compare-title",
      sensitivity: "mc-title", levers: "levers-title", winsets: "winsets-title", timeline: "timeline-title"}[r.kind];
    if (view && r.kind === "forecast") renderForecast(view);
    else if (view && r.kind === "crisis") renderCrisis(view);
    else if (view && typeof renderStored === "function") renderStored(r.kind, view);
    $("runs-note").textContent = `Run ${id} (${r.kind}) reopened` + (view ? "." : "; it kept no results to draw.");
    if (target) $(target).scrollIntoView();
  } catch (e) { showError(e); }
}

// --- start ----------------------------------------------------------------------------------
async function start() {
  try {
    const [cases, models] = await Promise.all([api("/api/cases"), api("/api/models")]);
    $("case-select").replaceChildren(...cases.map((c) =>
      el("option", {value: c.case, text: c.title, title: c.case})));
    $("model-select").replaceChildren(...models.map((m) =>
      el("option", {value: m.name, text: m.title, title: m.summary})));
    state.models = models;
    $("model-select").value = "compromise";
    renderParams();
    setupEditor();
    setupAnalyses();
    if (typeof setupUpdates === "function") setupUpdates();
    if (!(await restoreWork())) {  // a case in progress (kept in this browser) comes back first
      const first = cases.find((c) => c.case === "korea-2018") || cases[0];
      if (first) { $("case-select").value = first.case; await loadCase(first.case); }
    }
  } catch (e) { showError(e); }
  $("case-select").addEventListener("change", (e) => { if (e.target.value) { $("upload-input").value = ""; loadCase(e.target.value); } });
  $("upload-input").addEventListener("change", (e) => { if (e.target.files[0]) loadUpload(e.target.files[0]); });
  $("as-of").addEventListener("change", reload);
  $("run-button").addEventListener("click", run);
  $("model-select").addEventListener("change", renderParams);
  $("report-link").addEventListener("click", openReport);
  $("crisis-button").addEventListener("click", solveCrisis);
  $("reset-button").addEventListener("click", () => { state.edits.clear(); renderScenario(); saveWork(); });
  loadRuns();
  document.body.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", start);
