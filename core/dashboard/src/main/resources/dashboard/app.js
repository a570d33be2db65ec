// The dashboard: polls the runs folder's JSON every two seconds and redraws what changed.
"use strict";
const api = "api/runs";
const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
let selected = null;   // the run shown below the list
let lines = [];        // its log lines so far
let charts = {};
let compared = new Set();
let compareLogs = {};

// A run's address: a sweep's runs are named SWEEP/CONFIGURATION/seed-N, each part escaped.
function runPath(name) {
  return api + "/" + name.split("/").map(encodeURIComponent).join("/");
}

async function getJson(url) {
  const r = await fetch(url, {cache: "no-store"});
  if (!r.ok) throw new Error(url + ": " + r.status);
  return r.json();
}

function duration(seconds) {
  if (seconds === undefined) return "";
  const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
  return (h ? h + " h " : "") + (h || m ? m + " min " : "") + (s % 60) + " s";
}

function latestMetrics(metrics) {
  return Object.entries(metrics).filter(([k]) => !k.endsWith("eps_added"))
    .map(([k, v]) => k + " " + (typeof v === "number" ? v.toPrecision(4) : v)).join(", ");
}

async function refreshRuns() {
  const body = await getJson(api);
  document.getElementById("folder").textContent = body.folder;
  document.getElementById("no-runs").hidden = body.runs.length > 0;
  const tbody = document.querySelector("#runs tbody");
  tbody.innerHTML = "";
  for (const run of body.runs) {
    const tr = document.createElement("tr");
    tr.className = "run" + (run.name === selected ? " selected" : "");
    tr.dataset.run = run.name;
    const cells = [run.name, run.architecture, run.loss, run.dataset, run.state, run.step + " / " + run.total_steps,
      run.steps_per_second === undefined ? "" : run.steps_per_second.toFixed(2), duration(run.seconds_left),
      latestMetrics(run.metrics)];
    const box = document.createElement("td");
    const check = document.createElement("input");
    check.type = "checkbox";
    check.checked = compared.has(run.name);
    check.addEventListener("click", e => { e.stopPropagation(); toggleCompare(run.name, check.checked); });
    box.appendChild(check);
    tr.appendChild(box);
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i === 4) td.className = "state-" + run.state;
      if (i === 5) td.className = "step";
      tr.appendChild(td);
    });
    tr.addEventListener("click", () => select(run.name));
    tbody.appendChild(tr);
  }
}

async function select(name) {
  selected = name;
  lines = [];
  const run = await getJson(runPath(name));
  document.getElementById("run").hidden = false;
  document.getElementById("run-name").textContent = name;
  document.getElementById("experiment").textContent = run.experiment;
  showEvaluations(run.evaluations);
  Object.values(charts).forEach(c => c.destroy());
  charts = {};
  await pollLog();
  showSamples(run.samples);
  refreshRuns();
}

function showEvaluations(evaluations) {
  const div = document.getElementById("evaluations");
  div.innerHTML = "";
  const files = Object.keys(evaluations);
  if (files.length === 0) { div.textContent = "none: ./ganymede evaluate RUN writes them"; return; }
  for (const file of files) {
    const table = document.createElement("table");
    table.innerHTML = "<caption>" + file + "</caption>";
    const values = evaluations[file].metrics || evaluations[file];
    for (const [k, v] of Object.entries(values)) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = typeof v === "object" ? JSON.stringify(v) : v;
    }
    div.appendChild(table);
  }
}

function showSamples(samples) {
  const slider = document.getElementById("sample-slider");
  const img = document.getElementById("sample");
  const at = document.getElementById("sample-step");
  const last = samples.length - 1;
  const follow = Number(slider.value) >= Number(slider.max);   // at the newest: stay at the newest
  slider.max = Math.max(0, last);
  if (follow || Number(slider.value) > last) slider.value = Math.max(0, last);
  const show = () => {
    const file = samples[Number(slider.value)];
    if (!file) { img.removeAttribute("src"); at.textContent = "no sample grid yet"; return; }
    const src = runPath(selected) + "/samples/" + file;
    if (img.getAttribute("src") !== src) img.src = src;
    at.textContent = "step " + Number(file.match(/[0-9]+/)[0]);
  };
  slider.oninput = show;
  show();
}

function series(kind) {
  const keys = new Set();
  for (const l of lines) if (l.kind === kind) for (const k of Object.keys(l))
    if (!["step", "kind", "train_seconds", "steps_per_second"].includes(k) && typeof l[k] === "number") keys.add(k);
  return [...keys];
}

function draw(id, kind) {
  const x = document.querySelector("input[name=x]:checked").value;
  const rows = lines.filter(l => l.kind === kind && l[x] !== undefined);
  const keys = series(kind);
  const div = document.getElementById(id);
  if (keys.length === 0) { div.textContent = kind === "metrics" ? "no metric logged yet" : "no step logged yet"; return; }
  // A diverged step logs its losses as "NaN": a gap in the curve.
  const data = [rows.map(l => l[x]), ...keys.map(k => rows.map(l => typeof l[k] === "number" ? l[k] : null))];
  const name = id + ":" + x + ":" + keys.join(",");
  if (charts[id] && charts[id].name === name) { charts[id].setData(data); return; }
  if (charts[id]) charts[id].destroy();
  div.innerHTML = "";
  charts[id] = new uPlot({width: Math.min(1000, window.innerWidth - 80), height: 260,
    scales: {x: {time: false}}, axes: [{label: x}, {}],
    series: [{label: x}, ...keys.map((k, i) => ({label: k, stroke: palette[i % palette.length], spanGaps: true}))]},
    data, div);
  charts[id].name = name;
}

async function pollLog() {
  if (!selected) return;
  const name = selected;
  const body = await getJson(runPath(name) + "/log?from=" + lines.length);
  if (name !== selected) return;
  lines = lines.concat(body.lines);
  const unreadable = document.getElementById("unreadable");
  unreadable.hidden = !body.unreadable;
  unreadable.textContent = body.unreadable || "";
  draw("losses", "train");
  draw("metrics", "metrics");
  if (body.lines.length > 0) {
    const run = await getJson(runPath(name));
    document.getElementById("run-state").textContent = run.state + ", step " + run.step + " of " + run.total_steps;
    showSamples(run.samples);
  }
}

function toggleCompare(name, on) {
  if (on) compared.add(name); else compared.delete(name);
  refreshCompare();
}

async function refreshCompare() {
  const section = document.getElementById("compare");
  section.hidden = compared.size < 2;
  if (section.hidden) return;
  for (const name of compared) compareLogs[name] = (await getJson(runPath(name) + "/log")).lines;
  const select = document.getElementById("compare-key");
  const keys = new Set();
  for (const name of compared) for (const l of compareLogs[name]) for (const k of Object.keys(l))
    if (!["step", "kind"].includes(k) && typeof l[k] === "number") keys.add(k);
  const current = select.value;
  select.innerHTML = "";
  [...keys].sort().forEach(k => select.add(new Option(k, k, false, k === current)));
  select.onchange = drawCompare;
  drawCompare();
}

function drawCompare() {
  const key = document.getElementById("compare-key").value;
  const names = [...compared];
  const steps = [...new Set(names.flatMap(n => compareLogs[n].filter(l => l[key] !== undefined).map(l => l.step)))]
    .sort((a, b) => a - b);
  const data = [steps, ...names.map(n => {
    const byStep = new Map(compareLogs[n].filter(l => l[key] !== undefined).map(l => [l.step, l[key]]));
    return steps.map(s => typeof byStep.get(s) === "number" ? byStep.get(s) : null);
  })];
  const div = document.getElementById("compare-chart");
  if (charts.compare) charts.compare.destroy();
  div.innerHTML = "";
  charts.compare = new uPlot({width: Math.min(1000, window.innerWidth - 80), height: 260, scales: {x: {time: false}},
    axes: [{label: "step"}, {label: key}],
    series: [{label: "step"}, ...names.map((n, i) => ({label: n, stroke: palette[i % palette.length], spanGaps: true}))]},
    data, div);
  const table = document.getElementById("compare-table");
  const last = n => compareLogs[n].filter(l => l[key] !== undefined).pop();
  table.tHead.innerHTML = "<tr><th>run</th><th>step</th><th>" + key + "</th></tr>";
  table.tBodies[0].innerHTML = "";
  for (const n of names) {
    const l = last(n), tr = table.tBodies[0].insertRow();
    tr.insertCell().textContent = n;
    tr.insertCell().textContent = l ? l.step : "";
    tr.insertCell().textContent = l ? l[key] : "";
  }
}

document.querySelectorAll("input[name=x]").forEach(r => r.addEventListener("change", () => {
  Object.values(charts).forEach(c => c.destroy()); charts = {}; draw("losses", "train"); draw("metrics", "metrics");
}));

function shown(v) {
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

// Each sweep's table as ganymede sweep writes it (mean ± standard error over the seeds), its plot,
// and how far its runs are.
let lastSweeps = "";
async function refreshSweeps() {
  const body = await getJson("api/sweeps");
  const text = JSON.stringify(body);
  if (text === lastSweeps) return;   // unchanged: keep the tables and plots as they are
  lastSweeps = text;
  document.getElementById("sweeps").hidden = body.sweeps.length === 0;
  const list = document.getElementById("sweep-list");
  list.innerHTML = "";
  for (const sweep of body.sweeps) {
    const div = document.createElement("div");
    div.className = "sweep";
    div.dataset.sweep = sweep.name;
    const title = document.createElement("h3");
    title.textContent = sweep.name + " (" + sweep.sweep + ")";
    div.appendChild(title);
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    ["configuration", "seeds", ...sweep.columns].forEach(c => {
      const th = document.createElement("th"); th.textContent = c; head.appendChild(th);
    });
    const rows = table.createTBody();
    for (const c of sweep.configurations) {
      const tr = rows.insertRow();
      tr.insertCell().textContent = c.name;
      tr.insertCell().textContent = c.finished + (c.finished < c.runs ? " of " + c.runs : "");
      for (const column of sweep.columns) {
        const v = c.values[column];
        tr.insertCell().textContent = !v ? "–" : shown(v.mean) + (v.se === undefined ? "" : " ± " + shown(v.se))
          + (v.seeds < c.finished ? " (" + v.seeds + " seeds)" : "");
      }
    }
    div.appendChild(table);
    const running = sweep.progress.filter(r => r.state === "running");
    const done = sweep.progress.filter(r => r.state === "completed").length;
    const line = document.createElement("p");
    line.className = "sweep-progress";
    line.textContent = done + " of " + sweep.configurations.reduce((n, c) => n + c.runs, 0) + " runs completed"
      + (running.length ? "; running: " + running.map(r => r.name + " (step " + r.step + " of " + r.total_steps + ")")
        .join(", ") : "");
    div.appendChild(line);
    if (sweep.picture) {
      const img = document.createElement("img");
      img.className = "sweep-plot";
      img.alt = sweep.plot + " per configuration";
      // The plot is redrawn when a run finishes: its address changes with the count, so the browser may keep it till then.
      img.src = "api/sweeps/" + encodeURIComponent(sweep.name) + "/sweep.png?finished="
        + sweep.configurations.reduce((n, c) => n + c.finished, 0) + (sweep.complete ? "-complete" : "");
      div.appendChild(img);
    }
    list.appendChild(div);
  }
}

async function refreshGenerators() {
  const body = await getJson("api/generators");
  document.getElementById("generators").hidden = body.generators.length === 0;
  const tbody = document.querySelector("#generators tbody");
  tbody.innerHTML = "";
  for (const g of body.generators) {
    const tr = tbody.insertRow();
    [g.name, g.architecture, g.step, g.sampleShape.join("x"), g.latentSize, g.classes.join(", "),
      g.translations.join(", ")].forEach(v => { tr.insertCell().textContent = v; });
  }
}

async function tick() {
  try {
    await refreshRuns();
    await refreshSweeps();
    await refreshGenerators();
    await pollLog();
  } catch (e) {
    // Say so on the page: a refresh that fails leaves what is shown as it was.
    document.getElementById("poll-error").hidden = false;
    document.getElementById("poll-error").textContent = "could not refresh: " + e.message;
    console.error(e);
    return;
  }
  document.getElementById("poll-error").hidden = true;
}
tick();
setInterval(tick, 2000);
