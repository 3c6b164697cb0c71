// crossjobs dashboard: plain JS over job-api's REST surface. The token is sent only as a Bearer header, so
// streams are read with fetch() + ReadableStream (EventSource cannot send headers; a token in the URL would
// end up in access logs and history).
"use strict";

const TOKEN_KEY = "crossjobs.token";
const TERMINAL = new Set(["SUCCEEDED", "CANCELLED", "FAILED", "FAILED_SETUP", "FAILED_PRECHECKS",
  "FAILED_NO_RESOURCE", "FAILED_CONTROLLER"]);
const SAMPLE_YAML = `name: hello
resources:
  cloud: aws
  cpus: 2+
run: |
  echo "hello from $CROSSJOBS_JOB_ID"
  for i in 1 2 3; do echo "step $i"; done
`;

const COST_ROWS = 100;
const $ = (id) => document.getElementById(id);

/** Builds an element; strings become text nodes, so nothing from the API is ever parsed as HTML. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function statusClass(status) {
  if (status === "SUCCEEDED") return "ok";
  if (status && status.startsWith("FAILED")) return "fail";
  if (status === "RUNNING") return "run";
  if (status === "CANCELLED" || status === "CANCELLING") return "off";
  return "wait"; // PENDING, STARTING, RECOVERING
}

function badge(status) {
  return el("span", { class: "badge " + statusClass(status), "data-status": status }, status || "–");
}

const fmt = {
  usd(v, digits = 4) {
    if (v == null) return "–";
    const n = Number(v);
    // a job of a few seconds costs fractions of a cent: show its first digits rather than $0.0000
    if (n > 0 && n < Math.pow(10, -digits)) return "$" + n.toPrecision(2);
    return "$" + n.toFixed(digits);
  },
  time(iso) {
    if (!iso) return "–";
    const d = new Date(iso);
    const time = d.toLocaleTimeString([], { hour12: false });
    return d.toDateString() === new Date().toDateString() ? time : d.toLocaleDateString() + " " + time;
  },
  duration(seconds) {
    if (seconds == null) return "–";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + "s";
    const m = Math.floor(s / 60), h = Math.floor(m / 60);
    if (h === 0) return m + "m " + (s % 60) + "s";
    return h + "h " + (m % 60) + "m";
  },
  placement(job) {
    if (!job.cloud) return "–";
    return [job.cloud, job.region, job.zone].filter(Boolean).join(" / ");
  },
};

/**
 * The job with its clock-driven figures brought to now: durations of an unfinished job, and while it runs the
 * cost estimate (the controller's costSoFar at the last status change plus the current cluster since then).
 */
function live(job) {
  if (TERMINAL.has(job.status)) return job;
  const now = Date.now();
  const since = (iso) => (iso ? (now - Date.parse(iso)) / 1000 : null);
  const out = { ...job, jobDurationSeconds: since(job.submittedAt), runningDurationSeconds: since(job.startedAt) };
  if (job.status === "RUNNING" && job.pricePerHour != null && job.statusChangedAt) {
    out.costSoFar = (job.costSoFar || 0) + job.pricePerHour * Math.max(0, since(job.statusChangedAt)) / 3600;
    out.costEstimated = true;
  }
  return out;
}

// ---------------------------------------------------------------- API

class Unauthorized extends Error {}

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || "HTTP " + status);
    this.status = status;
    this.problem = problem;
  }
}

const api = {
  token() { return localStorage.getItem(TOKEN_KEY); },

  async request(method, path, { body, contentType, signal, raw } = {}) {
    const headers = { Authorization: "Bearer " + this.token() };
    if (contentType) headers["Content-Type"] = contentType;
    const response = await fetch(path, { method, headers, body, signal, cache: "no-store" });
    if (response.status === 401) {
      onUnauthorized();
      throw new Unauthorized();
    }
    if (raw) return response;
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) throw new ApiError(response.status, typeof data === "object" ? data : { detail: data });
    return data;
  },
  get(path, options) { return this.request("GET", path, options); },
  post(path, options) { return this.request("POST", path, options); },

  /** Reads a streamed body chunk by chunk until it ends or {@code signal} aborts it. */
  async stream(path, signal, onText, onOpen) {
    const response = await this.request("GET", path, { signal, raw: true });
    if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
    if (onOpen) onOpen();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onText(value);
    }
  },
};

// ---------------------------------------------------------------- state and routing

const state = {
  jobs: new Map(),          // id -> job view, the rows of the table
  nextCursor: null,
  view: null,
  jobId: null,              // the job page's job id
  job: null,                // and its last view
  logAbort: null,
  streamAbort: null,
  costTimer: null,
};

function onUnauthorized() {
  localStorage.removeItem(TOKEN_KEY);
  stopStreams();
  showSignIn("The token was refused (unknown or revoked). Sign in again.");
}

function stopStreams() {
  if (state.streamAbort) state.streamAbort.abort();
  if (state.logAbort) state.logAbort.abort();
  state.streamAbort = state.logAbort = null;
}

function show(view) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== "view-" + view;
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.view === view);
  state.view = view;
}

function showSignIn(message) {
  $("nav").hidden = true;
  $("session").hidden = true;
  $("signin-error").hidden = !message;
  $("signin-error").textContent = message || "";
  show("signin");
  $("token").focus();
}

function route() {
  if (!api.token()) return showSignIn();
  $("nav").hidden = false;
  $("session").hidden = false;
  if (!state.streamAbort) startStatusStream();
  const hash = location.hash || "#/";
  const jobMatch = hash.match(/^#\/jobs\/([^/]+)$/);
  if (state.logAbort && !(jobMatch && jobMatch[1] === state.jobId)) {
    state.logAbort.abort();
    state.logAbort = null;
  }
  if (jobMatch) return openJob(decodeURIComponent(jobMatch[1]));
  state.jobId = null;
  state.job = null;
  if (hash === "#/new") return openSubmit();
  if (hash === "#/cost") return openCost();
  show("jobs");
  loadJobs();
}

// ---------------------------------------------------------------- live status (GET /jobs/stream)

function setLive(on, text) {
  $("live").className = "live " + (on ? "on" : "off");
  $("live-text").textContent = text;
}

/** Server-sent events over fetch: parses "data:" lines, reconnects with a growing pause when the stream drops. */
async function startStatusStream() {
  const abort = new AbortController();
  state.streamAbort = abort;
  let pause = 1000;
  while (!abort.signal.aborted) {
    let buffer = "";
    try {
      setLive(false, "connecting");
      await api.stream("/jobs/stream", abort.signal, (text) => {
        buffer += text.replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
          if (data) onStatusChanged(JSON.parse(data));
        }
      }, () => { setLive(true, "live"); pause = 1000; });
    } catch (e) {
      if (abort.signal.aborted || e instanceof Unauthorized) return;
    }
    if (abort.signal.aborted) return;
    setLive(false, "reconnecting");
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 15000);
    refreshCurrentView(); // whatever changed while disconnected
  }
}

// the stream says a change happened; the job view (costs, durations, placement) is read fresh from the API
async function onStatusChanged(event) {
  setLive(true, "live");
  const id = String(event.jobId);
  try {
    const job = await api.get("/jobs/" + encodeURIComponent(id));
    upsertJob(job, true);
    if (state.view === "job" && state.jobId === id) renderJob(job, await api.get("/jobs/" + encodeURIComponent(id) + "/events"));
    if (state.view === "cost") scheduleCostRefresh();
  } catch (e) { /* the next change or view refresh shows it */ }
}

function refreshCurrentView() {
  if (state.view === "jobs") loadJobs();
  else if (state.view === "job" && state.jobId) openJob(state.jobId);
  else if (state.view === "cost") loadCost();
}

// ---------------------------------------------------------------- jobs table

function filters() {
  const params = new URLSearchParams();
  const status = $("filter-status").value, name = $("filter-name").value.trim(), cloud = $("filter-cloud").value;
  if (status) params.set("status", status);
  if (name) params.set("name", name);
  if (cloud) params.set("cloud", cloud);
  return params;
}

function matchesFilters(job) {
  const status = $("filter-status").value, name = $("filter-name").value.trim(), cloud = $("filter-cloud").value;
  return (!status || status.split(",").includes(job.status)) && (!name || job.name === name) && (!cloud || job.cloud === cloud);
}

let loadSeq = 0;
async function loadJobs(more = false) {
  const seq = ++loadSeq;
  const params = filters();
  params.set("limit", "50");
  if (more && state.nextCursor) params.set("cursor", state.nextCursor);
  try {
    const page = await api.get("/jobs?" + params);
    if (seq !== loadSeq) return; // a newer filter won
    if (!more) state.jobs.clear();
    for (const job of page.items) state.jobs.set(String(job.id), job);
    state.nextCursor = page.nextCursor;
    renderJobs();
  } catch (e) {
    if (!(e instanceof Unauthorized)) $("counts").textContent = "could not load jobs: " + e.message;
  }
}

function upsertJob(job, flash) {
  const id = String(job.id);
  const known = state.jobs.has(id);
  if (!matchesFilters(job)) {
    if (known) { state.jobs.delete(id); renderJobs(); }
    return;
  }
  state.jobs.set(id, job);
  if (state.view !== "jobs") return;
  const row = document.querySelector(`#jobs-body tr[data-id="${CSS.escape(id)}"]`);
  if (row) {
    const fresh = jobRow(job);
    row.replaceWith(fresh);
    if (flash) fresh.classList.add("flash");
  } else {
    renderJobs();
    if (flash) document.querySelector(`#jobs-body tr[data-id="${CSS.escape(id)}"]`)?.classList.add("flash");
  }
  renderCounts();
}

function jobRow(stored) {
  const job = live(stored);
  const id = String(job.id);
  return el("tr", { "data-id": id, onclick: () => { location.hash = "#/jobs/" + encodeURIComponent(id); } },
    el("td", { class: "id" }, id),
    el("td", { class: "name" }, el("a", { href: "#/jobs/" + encodeURIComponent(id) }, job.name)),
    el("td", {}, badge(job.status)),
    el("td", {}, fmt.placement(job)),
    el("td", {}, job.instanceType ? job.instanceType + (job.spot ? " · spot" : "") : "–"),
    el("td", { class: "num" }, fmt.usd(job.pricePerHour)),
    el("td", { class: "num cost" }, costText(job)),
    el("td", { class: "num duration" }, fmt.duration(job.jobDurationSeconds)),
    el("td", {}, fmt.time(job.submittedAt)),
    el("td", {}, job.owner));
}

function costText(job) {
  return (job.costEstimated ? "≈ " : "") + fmt.usd(job.costSoFar);
}

/** Moves an unfinished job's row with the clock, in place (a replaced row would swallow a click). */
function tickRow(stored) {
  const row = document.querySelector(`#jobs-body tr[data-id="${CSS.escape(String(stored.id))}"]`);
  if (!row) return;
  const job = live(stored);
  row.querySelector(".cost").textContent = costText(job);
  row.querySelector(".duration").textContent = fmt.duration(job.jobDurationSeconds);
}

function renderJobs() {
  const jobs = [...state.jobs.values()].sort((a, b) => Number(b.id) - Number(a.id));
  $("jobs-body").replaceChildren(...jobs.map(jobRow));
  $("jobs-empty").hidden = jobs.length > 0;
  $("load-more").hidden = !state.nextCursor;
  renderCounts();
}

function renderCounts() {
  const counts = {};
  for (const job of state.jobs.values()) {
    const key = statusClass(job.status);
    counts[key] = (counts[key] || 0) + 1;
  }
  const labels = { run: "running", wait: "waiting", ok: "succeeded", fail: "failed", off: "cancelled" };
  $("counts").replaceChildren(...Object.entries(labels).filter(([k]) => counts[k])
    .map(([k, label]) => el("span", { class: "badge " + k, style: "margin-left:6px" }, counts[k] + " " + label)));
}

// ---------------------------------------------------------------- job page

async function openJob(id) {
  const changed = state.jobId !== id;
  state.jobId = id;
  show("job");
  if (changed) {
    state.job = null;
    $("job-name").textContent = "";
    $("job-id").textContent = "#" + id;
    $("job-error").hidden = true;
    $("logs").textContent = "";
    $("timeline").replaceChildren();
  }
  try {
    const enc = encodeURIComponent(id);
    const [job, events] = await Promise.all([api.get("/jobs/" + enc), api.get("/jobs/" + enc + "/events")]);
    if (state.jobId !== id) return;
    renderJob(job, events);
    if (!state.logAbort) followLogs(id);
  } catch (e) {
    if (e instanceof Unauthorized) return;
    $("job-error").hidden = false;
    $("job-error").textContent = e.status === 404 ? "No job " + id + " (or it is not yours)." : "Could not load the job: " + e.message;
  }
}

function rows(pairs) {
  return pairs.flatMap(([label, value, attrs]) => [el("dt", {}, label), el("dd", attrs || {}, value == null || value === "" ? "–" : value)]);
}

function renderJob(job, events) {
  state.job = job;
  renderJobHeader(job);
  renderJobCards(job);
  renderTimeline(events);
}

function renderJobHeader(job) {
  $("job-name").textContent = job.name;
  $("job-id").textContent = "#" + job.id;
  const status = $("job-status");
  status.className = "badge " + statusClass(job.status);
  status.dataset.status = job.status;
  status.textContent = job.status;
  const cancel = $("cancel");
  cancel.disabled = TERMINAL.has(job.status) || job.status === "CANCELLING" || job.cancelRequestedAt != null;
  cancel.textContent = job.cancelRequestedAt && !TERMINAL.has(job.status) ? "Cancel requested" : "Cancel job";
}

function renderJobCards(stored) {
  const job = live(stored);

  $("job-placement").replaceChildren(...rows([
    ["Cloud", job.cloud, { id: "job-cloud" }], ["Region", job.region], ["Zone", job.zone],
    ["Instance type", job.instanceType],
    ["Capacity", job.cloud ? (job.spot ? "spot" : "on-demand") : null],
    ["Price", job.pricePerHour == null ? null : fmt.usd(job.pricePerHour) + " / h"],
  ]));
  $("job-cost").replaceChildren(...rows([
    ["Cost so far", costText(job),
      { id: "job-cost-so-far", title: job.costEstimated ? "estimated: running since the last status change" : null }],
    ["Submitted", fmt.time(job.submittedAt)], ["Started", fmt.time(job.startedAt)], ["Ended", fmt.time(job.endedAt)],
    ["Job duration", fmt.duration(job.jobDurationSeconds)], ["Running for", fmt.duration(job.runningDurationSeconds)],
  ]));
  $("job-recovery").replaceChildren(...rows([
    ["Attempt", job.attempt], ["Recoveries", job.recoveryCount], ["Restarts", job.restartCount],
    ["Task", job.taskCount > 1 ? (job.taskIndex + 1) + " of " + job.taskCount : "1 of 1"],
    ["Failure reason", job.failureReason], ["Exit code", job.exitCode],
  ]));
  const r = job.resources || {};
  $("job-requested").replaceChildren(...rows([
    ["Owner", job.owner], ["Nodes", job.numNodes],
    ["Where", [r.cloud, r.region, r.zone].filter(Boolean).join(" / ") || "any"],
    ["CPUs / memory", [r.cpus, r.memory && r.memory + " GB"].filter(Boolean).join(" / ") || null],
    ["Accelerators", r.accelerators ? Object.entries(r.accelerators).map(([k, v]) => k + ":" + v).join(", ") : null],
    ["Spot", r.useSpot == null ? null : String(r.useSpot)],
  ]));
}

function renderTimeline(events) {
  $("timeline").replaceChildren(...events.map((e) => el("li", { class: statusClass(e.to) },
    el("div", {}, badge(e.to), el("span", { class: "when" }, fmt.time(e.at) + (e.attempt > 1 ? " · attempt " + e.attempt : ""))),
    timelineNote(e) ? el("div", { class: "why" }, timelineNote(e)) : null)));
}

function timelineNote(e) {
  const exit = e.exitCode != null && !(e.reason || "").includes("code " + e.exitCode) ? "exit code " + e.exitCode : null;
  return [e.reason, e.failureReason, exit].filter(Boolean).join(" · ");
}

/** GET /jobs/{id}/logs?follow=true: appends output as it is stored; the server ends the stream after the job ends. */
async function followLogs(id) {
  const abort = new AbortController();
  state.logAbort = abort;
  const pre = $("logs");
  pre.textContent = "";
  $("logs-state").textContent = "following…";
  try {
    await api.stream("/jobs/" + encodeURIComponent(id) + "/logs?follow=true", abort.signal, (text) => {
      const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 30;
      pre.append(text);
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    });
    if (!abort.signal.aborted) $("logs-state").textContent = "complete";
  } catch (e) {
    if (!abort.signal.aborted) $("logs-state").textContent = "stream interrupted: " + e.message;
  } finally {
    if (state.logAbort === abort) state.logAbort = null;
  }
}

async function cancelJob() {
  const id = state.jobId;
  if (!id || !confirm("Cancel job " + id + "? Its cluster is terminated.")) return;
  $("cancel").disabled = true;
  try {
    const job = await api.post("/jobs/" + encodeURIComponent(id) + "/cancel");
    upsertJob(job, false);
    $("cancel").textContent = "Cancel requested";
  } catch (e) {
    if (e instanceof Unauthorized) return;
    $("job-error").hidden = false;
    $("job-error").textContent = "Cancel failed: " + e.message;
    $("cancel").disabled = false;
  }
}

// ---------------------------------------------------------------- submit form

function openSubmit() {
  show("new");
  if (!$("yaml").value) $("yaml").value = SAMPLE_YAML;
}

async function submitJob(event) {
  event.preventDefault();
  const button = $("submit");
  button.disabled = true;
  $("submit-problem").hidden = true;
  $("submit-idle").hidden = false;
  try {
    const job = await api.post("/jobs", { body: $("yaml").value, contentType: "application/yaml" });
    upsertJob(job, true);
    location.hash = "#/jobs/" + encodeURIComponent(job.id);
  } catch (e) {
    if (e instanceof Unauthorized) return;
    const problem = e.problem || {};
    $("submit-idle").hidden = true;
    $("submit-problem").hidden = false;
    $("problem-title").textContent = (problem.title || "Refused") + (e.status ? " (" + e.status + ")" : "");
    $("problem-detail").textContent = problem.detail || "";
    $("field-errors").replaceChildren(...(problem.errors || []).map((f) =>
      el("li", { "data-field": f.field }, el("code", {}, f.field), " ", f.message)));
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- cost and controller

function scheduleCostRefresh() {
  clearTimeout(state.costTimer);
  state.costTimer = setTimeout(loadCost, 500);
}

function openCost() {
  show("cost");
  loadCost();
}

async function loadCost() {
  $("cost-error").hidden = true;
  const [controller, cost] = await Promise.allSettled([api.get("/controller"), api.get("/cost")]);
  const failed = [controller, cost].find((r) => r.status === "rejected");
  if (failed) {
    if (failed.reason instanceof Unauthorized) return;
    $("cost-error").hidden = false;
    $("cost-error").textContent = "Could not read the controller's figures: " + failed.reason.message;
  }
  if (controller.status === "fulfilled") renderController(controller.value);
  if (cost.status === "fulfilled") renderCost(cost.value);
}

function renderController(c) {
  const line = (label, p, other) => {
    const differs = p && other && (p.cloud !== other.cloud || p.region !== other.region);
    return el("tr", { class: differs ? "diff" : null }, el("td", {}, label),
      el("td", {}, p?.cloud ?? "–"), el("td", {}, p?.region ?? "–"), el("td", {}, p?.cpus ?? "–"), el("td", {}, p?.memory ?? "–"));
  };
  $("controller-placement").replaceChildren(line("Configured", c.configured, c.effective), line("Effective", c.effective, c.configured));
  $("controller-mismatch").hidden = !c.mismatch;
  $("controller-mismatch").textContent = c.mismatch ? c.message : "";
  $("controller-id").textContent = c.id ? c.id + (c.since ? " · since " + fmt.time(c.since) : "") : "the controller has not recorded its placement yet";
  $("controller-migrations").replaceChildren(...(c.migrations || []).map((m) =>
    el("li", {}, fmt.time(m.at) + " — migrated " + m.from.cloud + "/" + m.from.region + " → " + m.to.cloud + "/" + m.to.region)));
}

function renderCost(cost) {
  $("cost-total").textContent = fmt.usd(cost.totalJobCost);
  $("cost-at").textContent = fmt.time(cost.at);
  const c = cost.controller;
  $("cost-controller").textContent = c ? fmt.usd(c.usdPerDay, 2) + " / day" : "–";
  $("cost-controller-detail").textContent = c ? `${c.instanceType || "?"} on ${c.cloud}/${c.region} · ${fmt.usd(c.usdPerHour)} / h` : "";
  // the report lists every job; the costliest are the ones worth a look
  const jobs = [...(cost.jobs || [])].sort((a, b) => (b.cost || 0) - (a.cost || 0) || Number(b.id) - Number(a.id));
  $("cost-jobs-note").textContent = jobs.length > COST_ROWS ? `the ${COST_ROWS} costliest of ${jobs.length}` : "";
  $("cost-jobs").replaceChildren(...jobs.slice(0, COST_ROWS).map((j) => el("tr", {},
    el("td", { class: "id" }, el("a", { href: "#/jobs/" + encodeURIComponent(j.id) }, j.id)),
    el("td", { class: "name" }, j.name), el("td", {}, badge(j.status)),
    el("td", {}, [j.cloud, j.region].filter(Boolean).join(" / ") || "–"),
    el("td", {}, j.instanceType ? j.instanceType + (j.spot ? " · spot" : "") : "–"),
    el("td", { class: "num" }, fmt.usd(j.pricePerHour)), el("td", { class: "num" }, fmt.usd(j.cost)))));
  $("cost-owners").replaceChildren(...(cost.owners || []).map((o) => el("tr", {},
    el("td", {}, o.owner), el("td", { class: "num" }, o.jobs), el("td", { class: "num" }, fmt.usd(o.cost)))));
  const suggestions = cost.suggestions || [];
  $("suggestions-card").hidden = suggestions.length === 0;
  $("suggestions").replaceChildren(...suggestions.map((s) => el("li", {}, s.message,
    s.savingUsd >= 0.005 ? el("span", { class: "saving" }, "  save " + fmt.usd(s.savingUsd, 2)) : null)));
}

// ---------------------------------------------------------------- wiring

async function signIn(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  if (!token) return;
  const response = await fetch("/jobs?limit=1", { headers: { Authorization: "Bearer " + token }, cache: "no-store" })
    .catch(() => null);
  if (!response || response.status === 401) {
    $("signin-error").hidden = false;
    $("signin-error").textContent = response ? "This token is unknown or revoked." : "job-api did not answer.";
    return;
  }
  localStorage.setItem(TOKEN_KEY, token);
  $("token").value = "";
  $("signin-error").hidden = true;
  route();
}

function signOut() {
  localStorage.removeItem(TOKEN_KEY);
  stopStreams();
  state.jobs.clear();
  $("jobs-body").replaceChildren();
  location.hash = "#/";
  showSignIn();
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", signOut);
  $("submit-form").addEventListener("submit", submitJob);
  $("cancel").addEventListener("click", cancelJob);
  $("load-more").addEventListener("click", () => loadJobs(true));
  $("cost-refresh").addEventListener("click", loadCost);
  for (const id of ["filter-status", "filter-cloud"]) $(id).addEventListener("change", () => loadJobs());
  let typing;
  $("filter-name").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => loadJobs(), 300); });
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); loadJobs(); });
  // durations and costs of running jobs move with time; a cheap refresh of what is on screen
  setInterval(() => { if (api.token() && !document.hidden && state.view === "jobs") loadJobs(); }, 15000);
  // unfinished jobs' durations and running cost move with the clock, between API reads
  setInterval(() => {
    if (document.hidden) return;
    if (state.view === "job" && state.job && !TERMINAL.has(state.job.status)) renderJobCards(state.job);
    if (state.view === "jobs") {
      for (const job of state.jobs.values()) if (!TERMINAL.has(job.status)) tickRow(job);
    }
  }, 1000);
  window.addEventListener("hashchange", route);
  route();
});
