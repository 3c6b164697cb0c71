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
  tasks: [],                // the job page's pipeline tasks (GET /jobs/{id}/tasks)
  taskLogs: new Map(),      // task index -> { abort, done }: a task's log, read once its details are opened
  logAbort: null,
  streamAbort: null,
  costTimer: null,
  controllerTimer: null,   // polls GET /controller while the cost view is open
  controller: null,        // the last GET /controller
  cost: null,              // the last GET /cost
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
  stopTaskLogs();
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
  if (!(jobMatch && jobMatch[1] === state.jobId)) {
    if (state.logAbort) state.logAbort.abort();
    state.logAbort = null;
    stopTaskLogs();
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
    if (state.view === "job" && state.jobId === id) {
      const enc = encodeURIComponent(id);
      const [events, tasks] = await Promise.all([api.get("/jobs/" + enc + "/events"), api.get("/jobs/" + enc + "/tasks")]);
      if (state.view === "job" && state.jobId === id) renderJob(job, events, tasks);
    }
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
    el("td", { class: "name" }, el("a", { href: "#/jobs/" + encodeURIComponent(id) }, job.name),
      job.taskCount > 1 ? el("span", { class: "tag", title: "a pipeline: its page lists the tasks" }, job.taskCount + " tasks") : null),
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
    stopTaskLogs();
    state.tasks = [];
    $("tasks").replaceChildren();
    $("pipeline-card").hidden = true;
  }
  try {
    const enc = encodeURIComponent(id);
    const [job, events, tasks] = await Promise.all([api.get("/jobs/" + enc), api.get("/jobs/" + enc + "/events"),
      api.get("/jobs/" + enc + "/tasks")]);
    if (state.jobId !== id) return;
    renderJob(job, events, tasks);
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

function renderJob(job, events, tasks) {
  state.job = job;
  renderJobHeader(job);
  renderJobCards(job);
  renderTimeline(events);
  renderTasks(tasks);
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

// ---------------------------------------------------------------- a pipeline's tasks (GET /jobs/{id}/tasks)

/**
 * A pipeline's tasks in order, each with its status, placement, times and (in a details element) its logs. Rows are
 * updated in place, so an opened task's logs stay open and keep their text while status changes arrive.
 */
function renderTasks(tasks) {
  state.tasks = tasks || [];
  const pipeline = state.tasks.length > 1;
  $("pipeline-card").hidden = !pipeline;
  if (!pipeline) return;
  const done = state.tasks.filter((t) => t.status === "SUCCEEDED").length;
  $("pipeline-note").textContent = `${state.tasks.length} tasks, run in order, each on its own cluster · ${done} succeeded`;
  const list = $("tasks");
  for (const task of state.tasks) {
    let item = list.querySelector(`li[data-index="${task.index}"]`);
    if (!item) {
      item = taskItem(task);
      list.append(item);
    }
    item.dataset.status = task.status || "";
    item.querySelector(".task-head").replaceChildren(...taskHead(task));
    syncTaskLog(task, item);
  }
}

function taskItem(task) {
  const details = el("details", { class: "task-logs" },
    el("summary", {}, "Logs ", el("span", { class: "muted small task-log-state" })),
    el("pre", { class: "logs task-log" }));
  details.addEventListener("toggle", () => {
    const current = state.tasks.find((t) => t.index === task.index);
    if (current) syncTaskLog(current, details.parentElement);
  });
  return el("li", { class: "task", "data-index": task.index }, el("div", { class: "task-head" }), details);
}

function taskHead(task) {
  const p = task.placement;
  const running = task.startedAt && !task.endedAt;
  const seconds = running ? (Date.now() - Date.parse(task.startedAt)) / 1000 : task.durationSeconds;
  return [
    el("span", { class: "task-index" }, task.index + 1),
    el("div", { class: "task-main" },
      el("div", {}, el("span", { class: "task-name" }, task.name), " ",
        el("span", { class: "task-status" }, task.status ? badge(task.status) : el("span", { class: "muted" }, "status unknown"))),
      task.reason ? el("div", { class: "why" }, task.reason + (task.exitCode != null && TERMINAL.has(task.status)
        && !task.reason.includes("code " + task.exitCode) ? " · exit code " + task.exitCode : "")) : null),
    el("dl", { class: "task-facts" },
      el("dt", {}, "Placement"),
      el("dd", { class: "task-placement" }, p ? where(p) : "–"),
      el("dt", {}, "Instance"),
      el("dd", { class: "task-instance" }, p ? [p.instanceType, p.spot ? "spot" : "on-demand",
        p.pricePerHour != null ? fmt.usd(p.pricePerHour) + " / h" : null].filter(Boolean).join(" · ") : "–")),
    el("dl", { class: "task-facts" },
      el("dt", {}, "Started"), el("dd", {}, fmt.time(task.startedAt)),
      el("dt", {}, "Ended"), el("dd", {}, fmt.time(task.endedAt))),
    el("dl", { class: "task-facts" },
      el("dt", {}, "Duration"), el("dd", { class: "task-duration" }, fmt.duration(seconds)),
      el("dt", {}, "Attempts"), el("dd", { title: task.attempts.length ? "the job's attempt " + task.attempts.join(", ")
        + " (as in the logs' --- attempt N --- lines)" : null }, task.attempts.length || "–")),
  ];
}

/**
 * An opened task's logs: GET /jobs/{id}/logs?task=N&follow=true once the task has an attempt; the server ends the
 * stream once the task has ended, so at most the running task's stays open. Read once; a task not reached yet waits.
 */
function syncTaskLog(task, item) {
  const details = item.querySelector("details");
  const entry = state.taskLogs.get(task.index) || {};
  state.taskLogs.set(task.index, entry);
  const stateText = item.querySelector(".task-log-state");
  if (!task.attempts.length) {
    stateText.textContent = task.status === "PENDING" ? "not started" : "";
    return;
  }
  if (!details.open || entry.abort || entry.done) return;
  const abort = new AbortController();
  entry.abort = abort;
  const pre = item.querySelector("pre");
  pre.textContent = "";
  stateText.textContent = "following…";
  const jobId = state.jobId;
  api.stream("/jobs/" + encodeURIComponent(jobId) + "/logs?task=" + task.index + "&follow=true", abort.signal, (text) => {
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 30;
    pre.append(text);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }).then(() => {
    if (abort.signal.aborted) return;
    entry.done = true;
    stateText.textContent = "complete";
  }).catch((e) => {
    if (!abort.signal.aborted) stateText.textContent = "stream interrupted: " + e.message;
  }).finally(() => {
    if (entry.abort === abort) entry.abort = null;
  });
}

function stopTaskLogs() {
  for (const entry of state.taskLogs.values()) if (entry.abort) entry.abort.abort();
  state.taskLogs.clear();
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

const CONTROLLER_VM_ROWS = 20;
const CONTROLLER_STATE_CLASS = {
  SERVING: "run", LAUNCHING: "wait", BOOTING: "wait", MIGRATING: "wait", STOPPING: "off", GONE: "off",
  IDLE_STOPPED: "off", DISABLED: "off", NOT_RECORDED: "off", FAILED: "fail",
};
const SUGGESTION_KINDS = { USE_SPOT: "Use spot", IDLE_CONTROLLER: "Idle controller", CONTROLLER_PLACEMENT: "Controller placement" };

/** A badge for the controller's state (SERVING, MIGRATING, ...) or one of its VMs' (LAUNCHING ... GONE, FAILED). */
function controllerBadge(status, title) {
  return el("span", { class: "badge " + (CONTROLLER_STATE_CLASS[status] || "off"), "data-status": status, title }, status || "–");
}

function where(p) {
  return p ? [p.cloud, p.region, p.zone].filter(Boolean).join(" / ") || "–" : "–";
}

function scheduleCostRefresh() {
  clearTimeout(state.costTimer);
  state.costTimer = setTimeout(loadCost, 500);
}

/** The controller changes without job events (a VM boots, a move goes on): poll it while its view is open. */
function scheduleControllerPoll(moving) {
  clearTimeout(state.controllerTimer);
  state.controllerTimer = setTimeout(() => {
    if (state.view !== "cost") return;
    if (document.hidden) return scheduleControllerPoll(moving);
    loadCost();
  }, moving ? 2000 : 15000);
}

function openCost() {
  show("cost");
  loadCost();
}

let costSeq = 0;
async function loadCost() {
  const seq = ++costSeq;
  const [controller, cost] = await Promise.allSettled([api.get("/controller"), api.get("/cost")]);
  if (seq !== costSeq) return; // a newer read won
  const failed = [controller, cost].find((r) => r.status === "rejected");
  $("cost-error").hidden = !failed;
  if (failed) {
    if (failed.reason instanceof Unauthorized) return;
    $("cost-error").textContent = "Could not read the controller's figures: " + failed.reason.message;
  }
  if (controller.status === "fulfilled") state.controller = controller.value;
  if (cost.status === "fulfilled") state.cost = cost.value;
  if (state.controller) renderController(state.controller);
  if (state.cost) renderCost(state.cost);
  renderControllerVms(state.controller, state.cost);
  const c = state.controller;
  const busy = c && (c.migration || ["LAUNCHING", "MIGRATING"].includes(c.state)
    || (c.vms || []).some((vm) => ["LAUNCHING", "BOOTING", "STOPPING"].includes(vm.state)));
  if (state.view === "cost") scheduleControllerPoll(Boolean(busy));
}

function renderController(c) {
  const badgeEl = $("controller-state");
  badgeEl.hidden = !c.state;
  badgeEl.className = "badge " + (CONTROLLER_STATE_CLASS[c.state] || "off");
  badgeEl.dataset.status = c.state || "";
  badgeEl.textContent = c.state || "";

  const conf = c.configured || {}, e = c.effective;
  const size = (p) => (p ? [p.cpus && p.cpus + " CPUs", p.memory && p.memory + " GB"].filter(Boolean).join(" / ") : "") || "–";
  const configured = el("tr", { class: c.mismatch ? "diff" : null }, el("td", {}, "Configured"),
    el("td", {}, conf.cloud ?? "–"), el("td", {}, conf.region ?? "cheapest region"),
    el("td", {}, "–"), el("td", {}, "–"), el("td", {}, "–"), el("td", { class: "num" }, "–"), el("td", {}, "–"),
    el("td", {}, "–"), el("td", {}, size(conf)));
  const effective = e
    ? el("tr", { class: c.mismatch ? "diff" : null }, el("td", {}, "Effective"),
      el("td", {}, e.cloud ?? "–"), el("td", {}, e.region ?? "–"), el("td", {}, e.zone ?? "–"),
      el("td", {}, e.instanceType ? e.instanceType + (e.spot ? " · spot" : "") : "–"), el("td", { class: "id" }, e.instanceId ?? "–"),
      el("td", { class: "num" }, fmt.usd(e.pricePerHour)),
      el("td", { title: e.upSince ? "up for " + fmt.duration((Date.now() - Date.parse(e.upSince)) / 1000) : null }, fmt.time(e.upSince)),
      el("td", {}, controllerBadge(e.state)), el("td", {}, size(e)))
    : el("tr", {}, el("td", {}, "Effective"), el("td", { colspan: 9, class: "muted" }, "no controller VM runs"));
  $("controller-placement").replaceChildren(configured, effective);

  $("controller-mismatch").hidden = !c.mismatch;
  $("controller-mismatch").textContent = c.mismatch ? c.message : "";
  const note = !c.mismatch && !c.migration && c.message;
  $("controller-message").hidden = !note;
  $("controller-message").textContent = note || "";

  const m = c.migration;
  $("controller-migration").hidden = !m;
  if (m) {
    const latest = (c.history || []).find((h) => !m.since || Date.parse(h.at) >= Date.parse(m.since) - 1);
    $("controller-migration").replaceChildren(
      el("strong", {}, "Migration under way"), " to " + where(m) + (m.since ? " since " + fmt.time(m.since)
        + " (" + fmt.duration((Date.now() - Date.parse(m.since)) / 1000) + ")" : "")
        + ": a controller VM is launched there; the current one stops once the new one serves.",
      latest ? el("span", { class: "latest" }, "Latest: " + fmt.time(latest.at) + " — " + latest.message) : null);
  }

  $("controller-id").textContent = c.id ? [c.id, c.since && "placed since " + fmt.time(c.since),
    e && e.clusterName && "VM " + e.clusterName + (e.generation ? " (generation " + e.generation + ")" : ""),
    e && e.process && "process " + e.process, e && e.lastHeartbeat && "last heartbeat " + fmt.time(e.lastHeartbeat),
    e && e.assignedPartitions ? e.assignedPartitions + " partitions" : null,
    conf.replicas > 1 && conf.replicas + " replicas",
    conf.autostop && "autostop after " + conf.autostop.replace(/^PT/, "").toLowerCase() + " idle"]
    .filter(Boolean).join(" · ")
    : c.message || "the controller is not recorded yet";

  const history = c.history || [];
  $("controller-history-box").hidden = history.length === 0;
  $("controller-history").replaceChildren(...history.slice(0, 15).map((h) => el("li", {},
    el("span", { class: "kind" }, (h.kind || "").replace(/^Controller/, "")), fmt.time(h.at) + " — " + h.message)));

  const moves = c.migrations || [];
  const underWay = m ? [el("li", { "data-state": "under-way" }, el("span", { class: "when" }, fmt.time(m.since)),
    el("span", {}, "→ " + where(m)), el("span", { class: "badge wait" }, "under way"))] : [];
  $("controller-migrations").replaceChildren(...underWay, ...moves.map((mv) => el("li", {},
    el("span", { class: "when" }, fmt.time(mv.at)),
    el("span", {}, where(mv.from) + " → " + where(mv.to)),
    el("span", { class: "badge " + (mv.completed ? "ok" : "fail") }, mv.completed ? "done" : "failed"),
    !mv.completed && mv.message ? el("span", { class: "why" }, mv.message) : null)));
  $("controller-migrations-empty").hidden = moves.length > 0 || Boolean(m);
}

/** The VMs from GET /controller (newest first), each with what it cost from GET /cost. */
function renderControllerVms(c, cost) {
  const vms = (c && c.vms) || [];
  const costs = new Map(((cost && cost.controller && cost.controller.vms) || []).map((v) => [v.clusterName, v]));
  $("controller-vms-note").textContent = vms.length > CONTROLLER_VM_ROWS ? `the newest ${CONTROLLER_VM_ROWS} of ${vms.length}` : "";
  $("controller-vms-empty").hidden = vms.length > 0;
  $("controller-vms").replaceChildren(...vms.slice(0, CONTROLLER_VM_ROWS).map((vm) => {
    const billed = costs.get(vm.clusterName);
    return el("tr", { "data-cluster": vm.clusterName },
      el("td", { class: "name" }, vm.clusterName),
      el("td", {}, where(vm)),
      el("td", {}, vm.instanceType ?? "–"),
      el("td", { class: "id" }, vm.instanceId ?? "–"),
      el("td", { class: "num" }, fmt.usd(vm.pricePerHour)),
      el("td", {}, controllerBadge(vm.state, vm.servingAt ? "serving since " + fmt.time(vm.servingAt) : null)),
      el("td", {}, fmt.time(vm.launchedAt)),
      el("td", {}, fmt.time(vm.endedAt)),
      el("td", { class: "num", title: billed ? billed.hours.toFixed(2) + " h billed" : null }, billed ? fmt.usd(billed.cost) : "–"),
      el("td", { class: "wrap" }, vm.reason || ""));
  }));
}

function renderCost(cost) {
  $("cost-total").textContent = fmt.usd(cost.totalJobCost);
  $("cost-at").textContent = fmt.time(cost.at);
  const c = cost.controller;
  $("cost-controller").textContent = c ? fmt.usd(c.usdPerDay, 2) + " / day" : "–";
  $("cost-controller-detail").textContent = c
    ? `${c.instanceType || "?"} on ${[c.cloud, c.region, c.zone].filter(Boolean).join("/")} · ${fmt.usd(c.usdPerHour)} / h`
      + ((c.vms || []).length ? "" : " (estimate: no VM yet)")
    : "";
  $("cost-controller-total").textContent = c ? fmt.usd(c.cost, 2) : "–";
  const vmCount = c ? (c.vms || []).length : 0, placements = c ? (c.periods || []).length : 0;
  $("cost-controller-vms").textContent = c
    ? `${vmCount} VM${vmCount === 1 ? "" : "s"} in ${placements} placement${placements === 1 ? "" : "s"}` : "";
  const periods = (c && c.periods) || [];
  $("controller-periods-empty").hidden = periods.length > 0;
  // oldest first, as the report lists them: the placements in the order the controller lived in them
  $("controller-periods").replaceChildren(...periods.map((p) => el("tr", {},
    el("td", {}, where(p)), el("td", {}, fmt.time(p.from)), el("td", {}, p.to ? fmt.time(p.to) : "now"),
    el("td", { class: "num" }, p.vms), el("td", { class: "num" }, fmt.usd(p.cost)))));
  $("controller-periods-total").replaceChildren(...(periods.length > 1 ? [el("tr", {},
    el("td", { colspan: 4 }, "Total"), el("td", { class: "num" }, fmt.usd(c.cost)))] : []));
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
  $("suggestions").replaceChildren(...suggestions.map((s) => el("li", { "data-kind": s.kind },
    SUGGESTION_KINDS[s.kind] ? el("span", { class: "kind" }, SUGGESTION_KINDS[s.kind]) : null, s.message,
    s.savingUsd >= 0.005 ? el("span", { class: "saving" }, "  save " + fmt.usd(s.savingUsd, 2)
      + (s.kind === "USE_SPOT" ? "" : " / day")) : null)));
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
  state.controller = state.cost = null;
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
    if (state.view === "job" && state.job && !TERMINAL.has(state.job.status)) {
      renderJobCards(state.job);
      for (const task of state.tasks) {
        if (!task.startedAt || task.endedAt) continue;
        const cell = document.querySelector(`#tasks li[data-index="${task.index}"] .task-duration`);
        if (cell) cell.textContent = fmt.duration((Date.now() - Date.parse(task.startedAt)) / 1000);
      }
    }
    if (state.view === "jobs") {
      for (const job of state.jobs.values()) if (!TERMINAL.has(job.status)) tickRow(job);
    }
  }, 1000);
  window.addEventListener("hashchange", route);
  route();
});
