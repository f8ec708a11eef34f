// Standoff's page: plain JavaScript over the JSON API (/api/...), charts drawn as inline SVG.
"use strict";

const state = {
  source: null,   // {case: "korea-2018"} or {scenario_yaml: "...", filename: "x.yaml"}
  view: null,     // the scenario as the table shows it (GET /api/cases/{name})
  edits: new Map(), // "actor|field|issue" -> number
  models: [],     // GET /api/models: name, title, params [{name, type, nullable, default, description}]
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

async function loadCase(name) {
  showError(null);
  const query = asOf() ? `?as_of=${encodeURIComponent(asOf())}` : "";
  try {
    state.view = await api(`/api/cases/${encodeURIComponent(name)}${query}`);
    state.source = {case: name};
    state.edits.clear();
    renderScenario();
    renderCrisisControls();
    updateReportLink();
    clearForecast();
  } catch (e) { showError(e); }
}

async function loadUpload(file) {
  showError(null);
  const form = new FormData();
  form.append("file", file);
  if (asOf()) form.append("as_of", asOf());
  try {
    const [view, text] = await Promise.all([
      api("/api/scenarios/validate", {method: "POST", body: form}), file.text()]);
    state.view = view;
    state.source = {scenario_yaml: text, filename: file.name};
    state.edits.clear();
    const select = $("case-select");
    select.querySelector("option[value='']")?.remove();
    select.prepend(el("option", {value: "", text: `uploaded: ${file.name}`}));
    select.value = "";
    renderScenario();
    renderCrisisControls();
    updateReportLink();
    clearForecast();
  } catch (e) {
    $("upload-input").value = "";  // so that picking the same file again, once fixed, reloads it
    showError(e);
  }
}

async function reload() {
  if (!state.source) return;
  if (state.source.case) return loadCase(state.source.case);
  showError(null);
  const form = new FormData();
  form.append("file", new Blob([state.source.scenario_yaml]), state.source.filename);
  if (asOf()) form.append("as_of", asOf());
  try {
    state.view = await api("/api/scenarios/validate", {method: "POST", body: form});
    state.edits.clear();
    renderScenario();
    renderCrisisControls();
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
    const result = await api("/api/run", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)});
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
    el("th", {text: "Issue"}), el("th", {class: "num", text: "Forecast"}), el("th", {text: "Nearest labelled point"}),
    el("th", {class: "num", text: "Status quo"}), el("th", {class: "num", text: "Rounds"}))));
  const body = el("tbody");
  for (const f of r.issues) {
    body.append(el("tr", {"data-issue": f.id},
      el("td", {text: f.title}),
      el("td", {class: "num value", text: fmt(f.value)}),
      el("td", {text: f.nearest_point ? `${f.nearest_point} (${num(f.nearest_point_value)})` : "—"}),
      el("td", {class: "num", text: num(f.status_quo)}),
      el("td", {class: "num", text: f.rounds ?? (f.trajectory ? f.trajectory.length - 1 : "—")})));
  }
  table.append(body);
  table.hidden = false;
  if (r.outcome_probabilities) {
    const odds = Object.entries(r.outcome_probabilities).map(([k, p]) => `${k} ${(100 * p).toFixed(0)}%`);
    $("forecast-note").textContent += ` Outcome probabilities: ${odds.join(", ")}.`;
  }
  const charts = $("charts");
  charts.replaceChildren(...r.issues.map(issueChart));
}

// --- model parameters -----------------------------------------------------------------------
function chosenModel() { return state.models.find((m) => m.name === $("model-select").value); }

function renderParams() {
  const m = chosenModel();
  const box = $("params"), fields = $("params-fields");
  fields.replaceChildren();
  if (!m || !m.params.length) { box.hidden = true; return; }
  $("params-model").textContent = m.title;
  for (const p of m.params.filter((q) => q.type !== "other")) {
    const shown = p.default === null ? "none" : String(p.default);
    let input;
    if (p.type === "bool") {
      input = el("select", {}, el("option", {value: "", text: `default (${shown})`}),
        el("option", {value: "true", text: "true"}), el("option", {value: "false", text: "false"}));
    } else {
      input = el("input", {type: "text", placeholder: shown,
        inputmode: p.type === "str" ? null : p.type === "int" ? "numeric" : "decimal"});
    }
    input.dataset.param = p.name;
    input.dataset.type = p.type;
    input.setAttribute("aria-label", `parameter ${p.name} (${p.type}, default ${shown})`);
    input.addEventListener("change", () => input.classList.toggle("set", input.value.trim() !== ""));
    fields.append(el("label", {title: `${p.description}: ${p.type}${p.nullable ? " or none" : ""}; default ${shown}`},
      p.name, input));
  }
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
    const html = await response.text();
    const blob = URL.createObjectURL(new Blob([html], {type: "text/html"}));
    if (tab) tab.location = blob; else window.location = blob;
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
    const r = await api("/api/crisis", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)});
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
    svg.append(el("svg:text", {x: left - 10, y: y + row / 2 + 4, "text-anchor": "end", class: "label",
      text: short(label, 46)}, el("svg:title", {text: label})));
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
function short(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

function issueChart(f) {
  const W = 560, left = 190, right = 24, row = 18, top = 40;
  const n = f.actors.length;
  const plotH = n * row;
  const H = top + plotH + 28;
  const span = f.max - f.min || 1;
  const x = (v) => left + ((v - f.min) / span) * (W - left - right);
  const maxW = Math.max(...f.actors.map((a) => a.weight), 1e-9);
  const svg = el("svg:svg", {viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `${f.title}: actors' positions and the forecast`});
  const axisY = top + plotH + 6;
  svg.append(el("svg:line", {x1: x(f.min), x2: x(f.max), y1: axisY, y2: axisY, stroke: "#9aa5b1"}));
  const ticks = f.anchors.length ? f.anchors.map((a) => a.value) : [f.min, f.max];
  for (const v of ticks) {
    svg.append(el("svg:line", {x1: x(v), x2: x(v), y1: axisY, y2: axisY + 5, stroke: "#9aa5b1"}));
    svg.append(el("svg:text", {x: x(v), y: axisY + 17, "text-anchor": "middle", text: num(v)}));
  }
  if (f.status_quo !== null && f.status_quo !== undefined) {
    svg.append(el("svg:line", {x1: x(f.status_quo), x2: x(f.status_quo), y1: top - 8, y2: axisY,
      stroke: "#7b8794", "stroke-dasharray": "4 3"}));
    svg.append(el("svg:text", {x: x(f.status_quo), y: top - 11, "text-anchor": "middle", text: "status quo"}));
  }
  f.actors.forEach((a, i) => {
    const y = top + i * row + row / 2;
    svg.append(el("svg:line", {x1: x(f.min), x2: x(f.max), y1: y, y2: y, stroke: "#eef1f4"}));
    svg.append(el("svg:text", {x: left - 10, y: y + 4, "text-anchor": "end", class: "label", text: short(a.name, 27)},
      el("svg:title", {text: a.name})));
    const radius = 2.5 + 6 * Math.sqrt(a.weight / maxW);
    svg.append(el("svg:circle", {cx: x(a.position), cy: y, r: radius, fill: "#1f5f99", "fill-opacity": 0.75},
      el("svg:title", {text: `${a.name}: position ${num(a.position)}, capability × salience ${fmt(a.weight, 3)}`})));
  });
  svg.append(el("svg:line", {x1: x(f.value), x2: x(f.value), y1: top - 26, y2: axisY, stroke: "#c2410c", "stroke-width": 2.5}));
  const anchor = x(f.value) > W - 90 ? "end" : x(f.value) < left + 60 ? "start" : "middle";
  svg.append(el("svg:text", {x: x(f.value), y: top - 29, "text-anchor": anchor, class: "fc",
    text: `forecast ${fmt(f.value)}`}));
  const card = el("div", {class: "chart", "data-issue": f.id},
    el("h3", {text: f.title + (f.unit ? ` (${f.unit})` : "")}), svg);
  if (f.anchors.length) {
    card.append(el("p", {class: "points", text: "Labelled points: " +
      f.anchors.map((a) => `${num(a.value)} ${a.label}`).join(" · ")}));
  }
  card.append(el("p", {class: "points", text: "Dot size: capability × salience. Orange line: the forecast" +
    (f.status_quo !== null && f.status_quo !== undefined ? "; dashed: the status quo." : ".")}));
  if (f.trajectory && f.trajectory.length > 1) card.append(trajectoryChart(f));
  return card;
}

function trajectoryChart(f) {
  const W = 560, H = 130, left = 190, right = 24, top = 14, bottom = 28;
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

// --- stored runs ----------------------------------------------------------------------------
const RUN_COLUMNS = [["id", "Run"], ["created_at", "Recorded (UTC)"], ["kind", "Kind"], ["case", "Case"],
  ["as_of", "As of"], ["model", "Model"], ["content_hash", "Scenario hash"]];

async function loadRuns() {
  const table = $("runs-table");
  try {
    const runs = await api("/api/runs?limit=20");
    const cols = RUN_COLUMNS.filter(([k]) => runs.some((r) => r[k] !== undefined && r[k] !== null));
    table.replaceChildren(el("thead", {}, el("tr", {}, ...cols.map(([, t]) => el("th", {text: t})))));
    const body = el("tbody");
    for (const r of runs) {
      const row = el("tr", {"data-run": r.id}, ...cols.map(([k]) =>
        el("td", {text: k === "created_at" ? String(r[k]).replace("T", " ").slice(0, 19)
          : k === "content_hash" ? String(r[k] ?? "").slice(0, 10) : (r[k] ?? "")})));
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
    const first = cases.find((c) => c.case === "korea-2018") || cases[0];
    if (first) { $("case-select").value = first.case; await loadCase(first.case); }
  } catch (e) { showError(e); }
  $("case-select").addEventListener("change", (e) => { if (e.target.value) { $("upload-input").value = ""; loadCase(e.target.value); } });
  $("upload-input").addEventListener("change", (e) => { if (e.target.files[0]) loadUpload(e.target.files[0]); });
  $("as-of").addEventListener("change", reload);
  $("run-button").addEventListener("click", run);
  $("model-select").addEventListener("change", renderParams);
  $("report-link").addEventListener("click", openReport);
  $("crisis-button").addEventListener("click", solveCrisis);
  $("reset-button").addEventListener("click", () => { state.edits.clear(); renderScenario(); });
  loadRuns();
  document.body.dataset.ready = "1";
}

start();
