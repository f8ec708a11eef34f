// Keeping the case current (as `standoff events update`): upload new events, see the stories and each
// proposed effect with its evidence and the forecast before and after (POST /api/events/proposals),
// accept, edit or reject each; the accepted ones go into the case in the editor as events with their
// effects and sources (POST /api/events/decide), and the forecast is run again. The case's forecast
// history (POST /api/events/history) is shown below.
"use strict";

const update = {file: null, found: null, seq: 0};

function setupUpdates() {
  $("update-file").addEventListener("change", (e) => { update.file = e.target.files[0] || null; clearProposals(); });
  $("update-propose").addEventListener("click", proposeEffects);
  $("update-apply").addEventListener("click", applyDecisions);
}

function signed(x) { return x === null || x === undefined ? "—" : (x > 0 ? "+" : "") + fmt(x); }

function clearProposals() {
  update.found = null;
  $("update-stories").replaceChildren();
  $("update-stories").hidden = true;
  $("update-proposals").replaceChildren();
  $("update-apply").hidden = true;
  $("update-note").textContent = "";
}

function updateRequest(more = {}) {  // the case as written (no date, no edited values), the model and the rules
  const {case: name, scenario_yaml, filename, scenario} = state.source;
  const body = {case: name, scenario_yaml, filename, scenario, model: $("model-select").value, params: paramValues(),
    window: Number($("update-window").value), similarity: Number($("update-similarity").value), ...more};
  const from = $("update-from").value;
  if (from) body.from = from;
  for (const k of Object.keys(body)) if (body[k] === undefined || body[k] === null) delete body[k];
  return body;
}

async function postUpdate(route, body) {
  const form = new FormData();
  form.append("file", update.file, update.file.name);
  form.append("request", JSON.stringify(body));
  return api(`/api/events/${route}`, {method: "POST", body: form});
}

async function proposeEffects() {
  showError(null);
  if (!state.source) return;
  if (!update.file) { showError({detail: "pick an event file first (ICEWS, GDELT, PLOVER or CSV)"}); return; }
  const button = $("update-propose");
  button.disabled = true;
  $("update-note").textContent = "Reading the events…";
  try {
    const r = await postUpdate("proposals", updateRequest());
    update.found = r;
    renderProposals(r);
  } catch (e) {
    clearProposals();
    $("update-note").textContent = "The events could not be read; see the message above.";
    showError(e);
  } finally {
    button.disabled = false;
  }
}

function renderProposals(r) {
  const skipped = r.no_proposal.length ? ` ${r.no_proposal.length} gave none (${[...new Set(r.no_proposal.map((s) => s.reason))].join("; ")}).` : "";
  $("update-note").textContent = `${r.file}: ${r.rows} rows read, ${r.reports} reports matched to the case's actors, ` +
    `${r.stories.length} stories, ${r.proposals.length} proposal${r.proposals.length === 1 ? "" : "s"}.${skipped} ` +
    `Forecasts (${r.model}) as of ${r.date}, the day of the latest news. Nothing is applied until you press the button below.`;
  const stories = $("update-stories");
  stories.replaceChildren(el("caption", {text: "Stories (reports of one event merged)"}),
    el("thead", {}, el("tr", {}, ...["Date", "Source → target", "CAMEO", "Goldstein", "Reports", "Publishers", "Text", "Lines"]
      .map((t) => el("th", {text: t})))),
    el("tbody", {}, ...r.stories.map((s) => el("tr", {},
      el("td", {text: s.date}), el("td", {text: `${s.source} → ${s.target || "—"}`}), el("td", {text: s.cameo || "—"}),
      el("td", {class: "num", text: fmt(s.goldstein, 1)}), el("td", {class: "num", text: s.reports}),
      el("td", {text: s.sources.join(", ") || "—"}), el("td", {text: s.text}), el("td", {text: s.where.join(", ")})))));
  stories.hidden = !r.stories.length;
  const titles = Object.fromEntries(r.issues.map((i) => [i.id, i.title]));
  $("update-proposals").replaceChildren(...r.proposals.map((p) => proposalCard(p, titles)));
  $("update-apply").hidden = !r.proposals.length;
}

function proposalCard(p, titles) {
  const card = el("div", {class: "proposal", "data-id": p.id});
  const name = `decision-${p.id}`;
  const choice = (value, text) => el("label", {class: "check"},
    el("input", {type: "radio", name, value, "data-decision": value, ...(value === "reject" ? {checked: ""} : {})}), text);
  card.append(el("h3", {text: `${p.id} · ${p.date} · ${p.actor} → ${p.target} · CAMEO ${p.cameo}`}),
    el("p", {text: p.description}));
  for (const s of p.stories) {
    card.append(el("p", {class: "note evidence", text: `Evidence: ${s.reports} report${s.reports === 1 ? "" : "s"} from ` +
      `${s.sources.join(", ") || "no publisher given"}${s.where.length ? ` (${s.where.join(", ")})` : ""}; source entry ${p.source}.`}));
  }
  const effects = el("tbody");
  p.effects.forEach((e, k) => {
    const input = el("input", {type: "number", step: "any", value: e.by, class: "up-by", "data-effect": k,
      "aria-label": `change of ${e.actor} ${e.field}${e.issue ? " on " + e.issue : ""}`});
    input.addEventListener("input", () => {
      input.classList.toggle("edited", Number(input.value) !== e.by);
      card.querySelector("input[data-decision='accept']").checked = true;
    });
    effects.append(el("tr", {}, el("td", {text: e.actor}), el("td", {text: e.field}), el("td", {text: e.issue || "—"}),
      el("td", {class: "num"}, input), el("td", {class: "note", text: p.reasons[k] || ""})));
  });
  card.append(el("table", {class: "grid"}, el("thead", {}, el("tr", {}, ...["Actor", "Changes", "Issue", "By (edit; 0 drops it)", "The rule's arithmetic"]
    .map((t) => el("th", {text: t})))), effects));
  const issues = Object.keys(p.forecast_before);
  card.append(el("table", {class: "grid forecast-move"},
    el("thead", {}, el("tr", {}, el("th", {text: "Forecast"}), ...issues.map((i) => el("th", {class: "num", text: titles[i] || i})))),
    el("tbody", {},
      el("tr", {}, el("td", {text: "before"}), ...issues.map((i) => el("td", {class: "num", text: fmt(p.forecast_before[i])}))),
      el("tr", {"data-row": "after"}, el("td", {text: "with this alone"}), ...issues.map((i) => el("td", {class: "num", "data-issue": i, text: fmt(p.forecast_after[i])}))),
      el("tr", {}, el("td", {text: "change"}), ...issues.map((i) => el("td", {class: "num", text: signed(p.forecast_change[i])}))))));
  card.append(el("div", {class: "buttons left"}, choice("accept", "accept"), choice("reject", "reject")));
  return card;
}

function decisions() {  // {id: accept|reject} and, for an accepted proposal whose numbers changed, its edited effects
  const out = {}, edits = {};
  for (const p of update.found.proposals) {
    const card = $("update-proposals").querySelector(`.proposal[data-id='${p.id}']`);
    const what = card.querySelector("input[data-decision]:checked")?.value || "reject";
    out[p.id] = what;
    const inputs = [...card.querySelectorAll("input.up-by")];
    if (what === "accept" && inputs.some((x, k) => Number(x.value) !== p.effects[k].by)) {
      edits[p.id] = p.effects.map((e, k) => ({actor: e.actor, field: e.field, issue: e.issue ?? null, by: Number(inputs[k].value)}));
    }
  }
  return {decisions: out, edits};
}

async function applyDecisions() {
  showError(null);
  if (!update.found || !update.file) return;
  const button = $("update-apply");
  button.disabled = true;
  try {
    const r = await postUpdate("decide", updateRequest({token: update.found.token, ...decisions()}));
    const moves = Object.keys(r.forecast_before).map((i) => `${i} ${fmt(r.forecast_before[i])} → ${fmt(r.forecast_after[i])}`);
    if (r.accepted.length) {
      await openSource({scenario: r.scenario}, {keepEdits: true});
      editor.edited = true;
      markCaseSelect();
      saveWork();
      $("editor-note").textContent = `${r.events_added} event${r.events_added === 1 ? "" : "s"} from the news added to the case (with their effects and sources).`;
    }
    $("update-result").textContent = r.accepted.length
      ? `Accepted ${r.accepted.join(", ")} (run ${r.run_id}): ${r.events_added} event${r.events_added === 1 ? "" : "s"} added to the case in the editor. ` +
        `Forecast (${r.model}, as of ${r.date}) before → after: ${moves.join(", ")}.`
      : "Nothing accepted: the case is unchanged.";
    $("update-result").dataset.accepted = r.accepted.join(",");
    clearProposals();
    update.file = null;
    $("update-file").value = "";
    if (r.accepted.length) await run();
    await loadHistory();
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
  }
}

async function loadHistory() {
  if (!state.source) return;
  const seq = ++update.seq;
  const {case: name, scenario_yaml, filename, scenario} = state.source;
  try {
    const rows = await postJSON("/api/events/history", Object.fromEntries(Object.entries(
      {case: name, scenario_yaml, filename, scenario}).filter(([, v]) => v !== undefined && v !== null)));
    if (seq !== update.seq) return;
    renderHistory(rows);
  } catch (e) {
    if (seq === update.seq) renderHistory([]);  // a case with problems has no history to show yet
  }
}

function renderHistory(rows) {
  const table = $("history-table");
  $("history-note").textContent = rows.length
    ? "Each accepted update of a case with this id, oldest first: the forecast before and after it."
    : "No accepted update of this case is recorded yet.";
  table.replaceChildren(el("thead", {}, el("tr", {}, ...["Run", "Recorded (UTC)", "News up to", "Model", "Accepted", "Issue", "Before", "After", "Change"]
    .map((t) => el("th", {text: t})))),
  el("tbody", {}, ...rows.map((r) => el("tr", {"data-run": r.run, "data-issue": r.issue},
    el("td", {text: r.run}), el("td", {text: r.recorded}), el("td", {text: r["news up to"] || "—"}), el("td", {text: r.model}),
    el("td", {class: "num", text: r.accepted}), el("td", {text: r.issue}), el("td", {class: "num", text: fmt(r.before)}),
    el("td", {class: "num after", text: fmt(r.after)}), el("td", {class: "num", text: signed(r.change)})))));
  table.hidden = !rows.length;
}
