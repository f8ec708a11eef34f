// The case editor: build a scenario from nothing or change one's structure (actors, groups,
// issues with labelled points and status quo, named outcomes, events and their effects, sources;
// each value with its source and note). The server checks the case as you type, as `standoff
// validate` checks a file; the case in progress is kept in this browser (localStorage).
"use strict";

const WORK_KEY = "standoff.workbench.v1";
const editor = {timer: null, seq: 0, edited: false, problems: []};

function setupEditor() {
  $("new-case").addEventListener("click", newCase);
  $("download-yaml").addEventListener("click", downloadYaml);
}

function today() { return new Date().toISOString().slice(0, 10); }

function newCase() {
  showError(null);
  state.doc = {id: "new-case", title: "New case", baseline: today(), sources: [], issues: [], groups: [],
    actors: [], outcomes: [], events: []};
  state.view = null;
  state.edits.clear();
  $("editor-box").open = true;
  edited({structure: true});
  renderScenario();
  clearForecast();
}

// --- keeping the case in progress ------------------------------------------------------------
function saveWork() {
  if (!state.doc) return;
  const work = {doc: state.doc, edited: editor.edited, case: state.source?.case || null,
    filename: state.source?.filename || null, as_of: asOf(), edits: [...state.edits.entries()]};
  try { localStorage.setItem(WORK_KEY, JSON.stringify(work)); } catch (e) { /* storage full or off: not kept */ }
}

async function restoreWork() {
  let work = null;
  try { work = JSON.parse(localStorage.getItem(WORK_KEY) || "null"); } catch (e) { work = null; }
  if (!work || !work.doc) return false;
  $("as-of").value = work.as_of || "";
  if (work.case && !work.edited) {
    $("case-select").value = work.case;
    await loadCase(work.case);
  } else {
    state.doc = work.doc;
    state.source = {scenario: state.doc};
    editor.edited = true;
    markCaseSelect();
    renderEditor();
    await checkNow();
  }
  state.edits = new Map(work.edits || []);
  renderScenario();
  $("editor-note").textContent = "The case in progress was restored from this browser's storage.";
  return true;
}

// --- checking as you type --------------------------------------------------------------------
function edited({structure = false} = {}) {  // the case changed: it becomes the page's case
  editor.edited = true;
  state.source = {scenario: state.doc};
  markCaseSelect();
  if (structure) renderEditor();
  saveWork();
  clearTimeout(editor.timer);
  editor.timer = setTimeout(checkNow, 300);
  setStatus("checking", "Checking…");
}

function markCaseSelect() {
  const select = $("case-select");
  select.querySelector("option[value='']")?.remove();
  select.prepend(el("option", {value: "", text: `your case: ${state.doc.title || state.doc.id || "untitled"}`}));
  select.value = "";
}

function setStatus(kind, text) {
  const s = $("check-status");
  s.dataset.state = kind;
  s.textContent = text;
}

async function checkNow() {
  clearTimeout(editor.timer);
  const seq = ++editor.seq;
  try {
    const r = await postJSON("/api/scenarios/check", {scenario: state.doc, as_of: asOf()});
    if (seq !== editor.seq) return;
    state.view = r.view;
    const actorIds = new Set(r.view.actors.map((x) => x.id)), issueIds = new Set(r.view.issues.map((x) => x.id));
    for (const key of [...state.edits.keys()]) {  // edits of actors or issues no longer in the case go
      const [actor, , issue] = key.split("|");
      if (!actorIds.has(actor) || (issue && !issueIds.has(issue))) state.edits.delete(key);
    }
    showProblems([]);
    setStatus("ok", `✓ Valid: ${r.view.actors.length} actors, ${r.view.issues.length} issues, ` +
      `${(state.doc.events || []).length} events. Runs use this case.`);
    renderScenario();
    renderCrisisControls();
    updateReportLink();
    renderAnalysisControls();
  } catch (e) {
    if (seq !== editor.seq) return;
    const problems = e.problems && e.problems.length ? e.problems : [{where: "", message: e.detail || String(e), fix: ""}];
    showProblems(problems);
    setStatus("problems", `${problems.length} problem${problems.length > 1 ? "s" : ""} to fix before a run:`);
  }
}

function showProblems(problems) {
  editor.problems = problems;
  const list = $("problems");
  list.replaceChildren(...problems.map((p) => {
    const item = el("li", {"data-where": p.where || "", text:
      `${p.where ? p.where + ": " : ""}${p.message}${p.fix ? " — " + p.fix : ""}`});
    item.addEventListener("click", () => fieldFor(p.where)?.focus());
    return item;
  }));
  for (const node of $("editor").querySelectorAll(".bad")) node.classList.remove("bad");
  for (const p of problems) fieldFor(p.where)?.classList.add("bad");
}

function fieldFor(where) {  // the input at the problem's place, or at the nearest place above it
  if (!where) return null;
  let best = null;
  for (const node of $("editor").querySelectorAll("[data-where]")) {
    const w = node.dataset.where;
    if (w === where || where.startsWith(w + ".") || where.startsWith(w + "[")) {
      if (!best || w.length > best.dataset.where.length) best = node;
    }
  }
  return best;
}

// --- saving and loading files ----------------------------------------------------------------
async function downloadYaml() {
  showError(null);
  if (!state.source) return;
  try {
    const response = await fetch("/api/scenarios/yaml", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(state.source)});
    if (!response.ok) throw await response.json().catch(() => ({detail: `${response.status} ${response.statusText}`}));
    const text = await response.text();
    const link = el("a", {href: URL.createObjectURL(new Blob([text], {type: "application/yaml"})),
      download: `${state.doc?.id || "scenario"}.yaml`});
    document.body.append(link);
    link.click();
    link.remove();
  } catch (e) { showError(e); }
}

// --- the form --------------------------------------------------------------------------------
function textField(obj, key, where, {type = "text", placeholder = "", cls = "", rename = null, label = null} = {}) {
  const input = el("input", {type, value: obj[key] ?? "", placeholder, class: cls, "data-where": where,
    "aria-label": label || where, step: type === "number" ? "any" : null});
  let before = obj[key];
  input.addEventListener("focus", () => { before = obj[key]; });
  input.addEventListener("input", () => {
    const raw = input.value;
    if (raw === "") delete obj[key];
    else obj[key] = type === "number" ? Number(raw) : raw;
    edited();
  });
  if (rename) {
    input.addEventListener("change", () => {
      if (before !== undefined && obj[key] !== undefined && before !== obj[key]) renameRefs(rename, before, obj[key]);
      before = obj[key];
      edited({structure: true});
    });
  }
  return input;
}

function selectField(obj, key, where, options, {blank = "—", label = null, structure = false} = {}) {
  const select = el("select", {"data-where": where, "aria-label": label || where},
    ...(blank !== null ? [el("option", {value: "", text: blank})] : []),
    ...options.map(([v, t]) => el("option", {value: v, text: t})));
  if (obj[key] !== undefined && !options.some(([v]) => v === obj[key])) {
    select.append(el("option", {value: obj[key], text: `${obj[key]} (unknown)`}));
  }
  select.value = obj[key] ?? "";
  select.addEventListener("change", () => {
    if (select.value === "") delete obj[key]; else obj[key] = select.value;
    edited({structure});
  });
  return select;
}

function modeOf(v) { return typeof v === "number" ? v : v && typeof v === "object" ? (v.mode ?? v.value) : undefined; }

// A value an analyst gives: the number, its source and a note. Written as a mapping
// ({mode, source, note}; a range low/high or sd already in the file is kept).
function valueField(parent, key, where, label) {
  const get = () => {
    let v = parent[key];
    if (typeof v === "number") v = parent[key] = {mode: v};
    if (v && "value" in v) { v.mode = v.value; delete v.value; }
    return v;
  };
  const ensure = () => get() || (parent[key] = {});
  const dropIfEmpty = () => {
    const v = parent[key];
    if (v && typeof v === "object" && !Object.keys(v).length) delete parent[key];
  };
  const number = el("input", {type: "number", step: "any", value: modeOf(parent[key]) ?? "", class: "num",
    "data-where": where, "aria-label": `${label}: value`});
  number.addEventListener("input", () => {
    const v = ensure();
    if (number.value === "") delete v.mode; else v.mode = Number(number.value);
    dropIfEmpty();
    edited();
  });
  const sources = (state.doc.sources || []).map((s) => [s.id, s.id]);
  const source = el("select", {"data-where": `${where}.source`, "aria-label": `${label}: source`, class: "src"},
    el("option", {value: "", text: "source…"}), ...sources.map(([v, t]) => el("option", {value: v, text: t})));
  const current = parent[key] && typeof parent[key] === "object" ? parent[key].source : undefined;
  if (current && !sources.some(([v]) => v === current)) source.append(el("option", {value: current, text: `${current} (unknown)`}));
  source.value = current ?? "";
  source.addEventListener("change", () => {
    const v = ensure();
    if (source.value === "") delete v.source; else v.source = source.value;
    dropIfEmpty();
    edited();
  });
  const note = el("input", {type: "text", class: "note-in", placeholder: "note", "aria-label": `${label}: note`,
    "data-where": `${where}.note`, value: parent[key] && typeof parent[key] === "object" ? parent[key].note ?? "" : ""});
  note.addEventListener("input", () => {
    const v = ensure();
    if (note.value === "") delete v.note; else v.note = note.value;
    dropIfEmpty();
    edited();
  });
  return el("span", {class: "value-field"}, number, source, note);
}

function removeButton(list, k, what) {
  const b = el("button", {type: "button", class: "small remove", text: "×", title: `remove this ${what}`,
    "aria-label": `remove ${what} ${k + 1}`});
  b.addEventListener("click", () => {
    const [gone] = list.splice(k, 1);
    if (what === "issue" && gone?.id) dropIssue(gone.id);
    edited({structure: true});
  });
  return b;
}

function addButton(id, text, make) {
  const b = el("button", {type: "button", id, class: "small add", text});
  b.addEventListener("click", () => { make(); edited({structure: true}); });
  return b;
}

function freshId(prefix, list) {
  let n = list.length + 1;
  while (list.some((x) => x.id === `${prefix}-${n}`)) n++;
  return `${prefix}-${n}`;
}

function listOf(key) { if (!Array.isArray(state.doc[key])) state.doc[key] = []; return state.doc[key]; }

function renameRefs(kind, from, to) {  // an id changed: follow it everywhere the case names it
  const d = state.doc;
  const renameKey = (obj) => { if (obj && from in obj) { obj[to] = obj[from]; delete obj[from]; } };
  if (kind === "issue") {
    for (const a of d.actors || []) { renameKey(a.positions); renameKey(a.salience); renameKey(a.reservation); }
    for (const o of d.outcomes || []) { renameKey(o.positions); renameKey(o.region); }
    for (const e of d.events || []) for (const f of e.effects || []) if (f.issue === from) f.issue = to;
    for (const r of d.recorded || []) if (r.issue === from) r.issue = to;
  } else if (kind === "actor" || kind === "group") {
    for (const a of d.actors || []) if (kind === "group" && a.group === from) a.group = to;
    for (const g of d.groups || []) if (g.veto) g.veto = g.veto.map((x) => (x === from ? to : x));
    for (const e of d.events || []) {
      if (e.actor === from) e.actor = to;
      if (e.target === from) e.target = to;
      for (const f of e.effects || []) if (f.actor === from) f.actor = to;
    }
    if (d.agenda_setter === from) d.agenda_setter = to;
  } else if (kind === "source") {
    const walk = (x) => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === "object") for (const [k, v] of Object.entries(x)) {
        if (k === "source" && v === from) x[k] = to; else walk(v);
      }
    };
    for (const [k, v] of Object.entries(d)) if (k !== "sources") walk(v);
  }
}

function dropIssue(id) {  // an issue removed: its values go with it
  for (const a of state.doc.actors || []) for (const k of ["positions", "salience", "reservation"]) if (a[k]) delete a[k][id];
  for (const o of state.doc.outcomes || []) { if (o.positions) delete o.positions[id]; if (o.region) delete o.region[id]; }
}

function block(title, id, ...children) {
  return el("fieldset", {class: "block", id}, el("legend", {text: title}), ...children);
}

function row(...children) { return el("div", {class: "row"}, ...children); }
function lab(text, input) { return el("label", {class: "in"}, el("span", {text}), input); }

function fieldSelect(f, where) {  // what an effect changes; a capability belongs to no issue
  const select = selectField(f, "field", `${where}.field`, ["position", "salience", "capability", "status_quo",
    "reservation"].map((x) => [x, x]), {blank: null});
  select.addEventListener("change", () => {
    if (f.field === "capability") delete f.issue;
    else if (!f.issue && state.doc.issues?.length) f.issue = state.doc.issues[0].id;
    edited({structure: true});
  });
  return select;
}

function renderEditor() {
  const box = $("editor");
  if (!state.doc) { box.replaceChildren(); return; }
  const d = state.doc;
  const issues = () => (d.issues || []).map((i) => [i.id, i.title || i.id]);
  const actors = () => (d.actors || []).map((a) => [a.id, a.name || a.id]);
  const groups = () => (d.groups || []).map((g) => [g.id, g.name || g.id]);
  const parts = [];

  parts.push(block("Case", "ed-case",
    row(lab("id", textField(d, "id", "id", {placeholder: "e.g. strait-crisis-2027"})),
      lab("title", textField(d, "title", "title", {cls: "wide"})),
      lab("baseline (the date the values describe)", textField(d, "baseline", "baseline", {type: "date"}))),
    row(lab("description", textField(d, "description", "description", {cls: "wider"})))));

  const sources = listOf("sources");
  parts.push(block("Sources", "ed-sources",
    ...sources.map((s, k) => row(
      lab("id", textField(s, "id", `sources[${k}].id`, {rename: "source"})),
      lab("title", textField(s, "title", `sources[${k}].title`, {cls: "wide"})),
      lab("publisher", textField(s, "publisher", `sources[${k}].publisher`)),
      lab("url", textField(s, "url", `sources[${k}].url`)),
      lab("note", textField(s, "note", `sources[${k}].note`)), removeButton(sources, k, "source"))),
    addButton("add-source", "+ source", () => sources.push({id: freshId("source", sources), title: ""}))));

  const issueList = listOf("issues");
  parts.push(block("Issues", "ed-issues",
    ...issueList.map((i, k) => {
      const anchors = Array.isArray(i.anchors) ? i.anchors : (i.anchors = []);
      return el("div", {class: "card", "data-issue-index": k},
        row(lab("id", textField(i, "id", `issues[${k}].id`, {rename: "issue"})),
          lab("title", textField(i, "title", `issues[${k}].title`, {cls: "wide"})),
          lab("min", textField(i, "min", `issues[${k}].min`, {type: "number", cls: "num"})),
          lab("max", textField(i, "max", `issues[${k}].max`, {type: "number", cls: "num"})),
          lab("unit", textField(i, "unit", `issues[${k}].unit`)), removeButton(issueList, k, "issue")),
        row(lab("status quo (value, source, note)", valueField(i, "status_quo", `issues[${k}].status_quo`,
          `status quo of ${i.id}`))),
        el("div", {class: "points-list"}, el("span", {class: "sub", text: "Labelled points"}),
          ...anchors.map((a, m) => row(
            lab("value", textField(a, "value", `issues[${k}].anchors[${m}].value`, {type: "number", cls: "num"})),
            lab("label", textField(a, "label", `issues[${k}].anchors[${m}].label`, {cls: "wide"})),
            removeButton(anchors, m, "labelled point"))),
          addButton(`add-point-${k}`, "+ labelled point", () => anchors.push({value: i.min ?? 0, label: ""}))));
    }),
    addButton("add-issue", "+ issue", () => issueList.push({id: freshId("issue", issueList), title: "", min: 0, max: 100}))));

  const groupList = listOf("groups");
  parts.push(block("Groups (sides: a state, an alliance)", "ed-groups",
    ...groupList.map((g, k) => row(
      lab("id", textField(g, "id", `groups[${k}].id`, {rename: "group"})),
      lab("name", textField(g, "name", `groups[${k}].name`, {cls: "wide"})),
      lab("source", selectField(g, "source", `groups[${k}].source`, (d.sources || []).map((s) => [s.id, s.id]))),
      lab("note", textField(g, "note", `groups[${k}].note`)), removeButton(groupList, k, "group"))),
    addButton("add-group", "+ group", () => groupList.push({id: freshId("group", groupList), name: ""}))));

  const actorList = listOf("actors");
  parts.push(block("Actors", "ed-actors",
    ...actorList.map((a, k) => {
      a.positions = a.positions || {};
      a.salience = a.salience || {};
      const table = el("table", {class: "grid values"}, el("thead", {}, el("tr", {},
        el("th", {text: "Issue"}), el("th", {text: "Position (value, source, note)"}),
        el("th", {text: "Salience 0–100 (value, source, note)"}))));
      const body = el("tbody");
      for (const i of issueList) {
        body.append(el("tr", {}, el("td", {text: i.title || i.id}),
          el("td", {}, valueField(a.positions, i.id, `actors[${k}].positions.${i.id}`, `position of ${a.id} on ${i.id}`)),
          el("td", {}, valueField(a.salience, i.id, `actors[${k}].salience.${i.id}`, `salience of ${a.id} on ${i.id}`))));
      }
      table.append(body);
      return el("div", {class: "card", "data-actor-index": k},
        row(lab("id", textField(a, "id", `actors[${k}].id`, {rename: "actor"})),
          lab("name", textField(a, "name", `actors[${k}].name`, {cls: "wide"})),
          lab("group", selectField(a, "group", `actors[${k}].group`, groups(), {blank: "none"})),
          removeButton(actorList, k, "actor")),
        row(lab("capability (value, source, note)", valueField(a, "capability", `actors[${k}].capability`,
          `capability of ${a.id}`))),
        issueList.length ? table : el("p", {class: "note", text: "Add an issue to give positions and saliences."}));
    }),
    addButton("add-actor", "+ actor", () => actorList.push({id: freshId("actor", actorList), name: "",
      positions: {}, salience: {}}))));

  const outcomeList = listOf("outcomes");
  parts.push(block("Named outcomes (deals and crisis endings)", "ed-outcomes",
    ...outcomeList.map((o, k) => {
      o.positions = o.positions || {};
      return el("div", {class: "card"},
        row(lab("id", textField(o, "id", `outcomes[${k}].id`)),
          lab("name", textField(o, "name", `outcomes[${k}].name`, {cls: "wide"})),
          lab("kind", selectField(o, "kind", `outcomes[${k}].kind`, [["deal", "deal"], ["crisis", "crisis"]], {blank: null})),
          lab("source", selectField(o, "source", `outcomes[${k}].source`, (d.sources || []).map((s) => [s.id, s.id]))),
          lab("note", textField(o, "note", `outcomes[${k}].note`)), removeButton(outcomeList, k, "outcome")),
        row(...issueList.map((i) => lab(`${i.id}`, textField(o.positions, i.id, `outcomes[${k}].positions.${i.id}`,
          {type: "number", cls: "num"})))));
    }),
    addButton("add-outcome", "+ outcome", () => outcomeList.push({id: freshId("outcome", outcomeList), name: "",
      kind: "deal", positions: {}}))));

  const eventList = listOf("events");
  parts.push(block("Events (what happened, and what it changed)", "ed-events",
    ...eventList.map((e, k) => {
      const effects = Array.isArray(e.effects) ? e.effects : (e.effects = []);
      return el("div", {class: "card"},
        row(lab("date", textField(e, "date", `events[${k}].date`, {type: "date"})),
          lab("actor", selectField(e, "actor", `events[${k}].actor`, [...actors(), ...groups()])),
          lab("target", selectField(e, "target", `events[${k}].target`, [...actors(), ...groups()], {blank: "none"})),
          lab("CAMEO code", textField(e, "cameo", `events[${k}].cameo`, {placeholder: "e.g. 036", cls: "num"})),
          lab("source", selectField(e, "source", `events[${k}].source`, (d.sources || []).map((s) => [s.id, s.id]))),
          removeButton(eventList, k, "event")),
        row(lab("description", textField(e, "description", `events[${k}].description`, {cls: "wider"}))),
        el("div", {class: "points-list"}, el("span", {class: "sub", text: "Effects"}),
          ...effects.map((f, m) => {
            const mode = el("select", {"aria-label": `effect ${m + 1} of event ${k + 1}: by or to`},
              el("option", {value: "by", text: "by"}), el("option", {value: "to", text: "to"}));
            mode.value = f.to !== undefined ? "to" : "by";
            const amount = {v: f.to ?? f.by};
            const where = `events[${k}].effects[${m}]`;
            const value = textField(amount, "v", `${where}.${mode.value}`, {type: "number", cls: "num"});
            const sync = () => {
              delete f.by; delete f.to;
              if (amount.v !== undefined) f[mode.value] = amount.v;
              value.dataset.where = `${where}.${mode.value}`;
            };
            value.addEventListener("input", sync);
            mode.addEventListener("change", () => { sync(); edited(); });
            return row(
              lab("actor", selectField(f, "actor", `${where}.actor`, actors())),
              lab("field", fieldSelect(f, where)),
              f.field === "capability" ? el("span") : lab("issue", selectField(f, "issue", `${where}.issue`, issues())),
              lab("change", el("span", {}, mode, value)),
              lab("source", selectField(f, "source", `${where}.source`, (d.sources || []).map((s) => [s.id, s.id]))),
              lab("note", textField(f, "note", `${where}.note`)), removeButton(effects, m, "effect"));
          }),
          addButton(`add-effect-${k}`, "+ effect", () => effects.push({actor: d.actors?.[0]?.id, field: "position",
            issue: d.issues?.[0]?.id, by: 0}))));
    }),
    addButton("add-event", "+ event", () => eventList.push({date: d.baseline || today(), actor: d.actors?.[0]?.id,
      cameo: "", description: "", effects: []}))));

  box.replaceChildren(...parts);
  for (const p of editor.problems) fieldFor(p.where)?.classList.add("bad");
}
