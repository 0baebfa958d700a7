// coord dashboard: renders the sections pushed by /events; no framework, no build step, nothing from the network.
"use strict";
(function () {
  const token = document.querySelector('meta[name="coord-token"]').content;
  const state = {};
  let clockOffset = 0; // server time minus local time, from meta.at
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const now = () => Date.now() + clockOffset;
  function ago(iso) {
    if (!iso) return "–";
    return span(Math.max(0, (now() - Date.parse(iso)) / 1000)) + " ago";
  }
  function span(s) {
    s = Math.round(s);
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
    return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
  }
  function time(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour12: false });
  }
  const short = (id) => (id || "").replace(/^claude-\d{8}-/, "");
  function who(id) {
    const s = (state.sessions || []).find((x) => x.instance_id === id);
    return el("span", { class: "who", title: id }, short(id), s && s.task ? el("span", { class: "task" }, " " + s.task) : null);
  }

  // ------------------------------------------------------------------ sections
  function renderMeta() {
    const m = state.meta || {};
    $("repo").replaceChildren(el("strong", {}, m.repository || ""), el("span", { class: "muted" }, "  " + (m.store || "")));
    const p = $("problems");
    p.hidden = !(m.problems && m.problems.length);
    p.replaceChildren(...(m.problems || []).map((x) => el("div", {}, "⚠ " + x)));
  }

  function lastActivity(id) {
    const e = (state.audit || []).find((a) => a.instance === id);
    return e ? e : null;
  }

  function renderSessions() {
    const list = state.sessions || [];
    const m = state.meta || {};
    const waits = state.waits || [];
    $("sessions-count").textContent = list.length;
    const silentAfter = (m.heartbeat_s || 5) * 2;
    $("sessions").replaceChildren(
      ...(list.length ? list : []).map((s) => {
        const silent = s.heartbeat_age_s > silentAfter;
        const w = waits.filter((x) => x.instance_id === s.instance_id).flatMap((x) => x.paths);
        const act = lastActivity(s.instance_id);
        return el("article", { class: "card" + (silent ? " silent" : ""), dataset: { sessionId: s.instance_id } },
          el("div", { class: "card-head" },
            el("span", { class: "dot " + (silent ? "amber" : "green"), title: silent ? "silent" : "alive" }),
            el("span", { class: "sid", title: s.instance_id }, short(s.instance_id)),
            s.role ? el("span", { class: "pill" }, s.role) : null),
          el("div", { class: "task-line" }, s.task || el("span", { class: "muted" }, "no task declared")),
          el("dl", {},
            el("dt", {}, "branch"), el("dd", {}, s.branch || "–"),
            el("dt", {}, "worktree"), el("dd", { class: "path" }, s.worktree || "–"),
            el("dt", {}, "status"), el("dd", {}, silent ? "silent for " + s.heartbeat_age_s + " s (reaped after " + m.stale_after_s + " s)" : "alive, heartbeat " + s.heartbeat_age_s + " s ago"),
            el("dt", {}, "last activity"), el("dd", {}, act ? act.event + (act.path ? " " + act.path : "") + ", " + ago(act.at) : "–"),
            el("dt", {}, "holds"), el("dd", { class: "holds" }, s.locks.length ? s.locks.map((p) => held(s.instance_id, p)) : "–"),
            el("dt", {}, "waits for"), el("dd", { class: "waits" }, w.length ? w.map((p) => el("code", { class: "waiting" }, p)) : "–")));
      })
    );
    if (!list.length) $("sessions").append(el("p", { class: "empty" }, "No live sessions."));
  }

  // An edit claim is a lock Claude Code's edit hook took by itself (auto: true), not one the model asked for.
  const editClaim = () => el("span", { class: "pill claim", title: "taken automatically by Claude Code's edit hook" }, "edit claim");
  function held(id, p) {
    const l = (state.locks || []).find((x) => x.path === p && x.holder === id);
    return el("code", { class: l && l.auto ? "auto" : null }, p, l && l.auto ? editClaim() : null);
  }

  function renderLocks() {
    const locks = state.locks || [];
    const waits = state.waits || [];
    $("locks-count").textContent = locks.length + (waits.length ? " · " + waits.length + " waiting" : "");
    $("locks-empty").hidden = locks.length > 0;
    const rows = locks.map((l) => {
      const queue = waits.filter((w) => w.paths.some((p) => overlaps(p, l.path)));
      return el("tr", { class: l.auto ? "auto" : null, dataset: { path: l.path } },
        el("td", { class: "path" }, el("code", {}, l.path)),
        el("td", {}, el("span", { class: "mode " + l.mode }, l.mode), l.auto ? editClaim() : null),
        el("td", {}, who(l.holder)),
        el("td", { class: "lease", dataset: { expires: l.expires_at, acquired: l.acquired_at } }),
        el("td", {}, queue.length ? el("ol", { class: "queue" }, queue.map((w) => el("li", {}, who(w.instance_id)))) : "–"),
        el("td", {}, el("button", { class: "danger small force-release", onclick: () => forceRelease(l) }, "Force release")));
    });
    $("locks").tBodies[0].replaceChildren(...rows);
    tick();
  }

  function overlaps(a, b) {
    if (a === b || a === "./" || b === "./") return true;
    return (a.endsWith("/") && b.startsWith(a)) || (b.endsWith("/") && a.startsWith(b));
  }

  // Overlaps come from the radar result the servers share (radar.json); the dashboard never runs git itself.
  function renderOverlaps() {
    const r = state.overlaps || {};
    const list = r.overlaps || [];
    const conflicts = list.filter((o) => o.conflict === "true").length;
    $("overlaps-count").textContent = list.length + (conflicts ? " · " + conflicts + " predicted conflict" + (conflicts > 1 ? "s" : "") : "");
    const side = (s) => el("div", { class: "side" }, who(s.instance_id),
      el("div", { class: "muted" }, s.branch ? s.branch + " · " : "", el("span", { class: "path" }, s.worktree || "")));
    $("overlaps").tBodies[0].replaceChildren(...list.map((o) => el("tr", { class: "c-" + o.conflict, dataset: { path: o.path } },
      el("td", { class: "path" }, el("code", {}, o.path)),
      el("td", {}, side(o.sessions[0])),
      el("td", {}, side(o.sessions[1])),
      el("td", {}, el("span", { class: "pill conflict " + (o.conflict === "true" ? "red" : o.conflict === "false" ? "green" : "amber"),
        title: o.conflict === "unknown" ? "uncommitted changes, or git older than 2.38" : null }, "conflict: " + o.conflict)))));
    $("overlaps").hidden = !list.length;
    $("overlaps-empty").hidden = list.length > 0;
    $("overlaps-empty").textContent = r.computed_at ? "No overlaps between live sessions." : "No overlap result yet: the coord servers write one while the radar runs (COORD_RADAR_INTERVAL).";
    $("overlaps-note").textContent = r.computed_at ? "computed " + ago(r.computed_at) + (r.base ? ", base " + r.base : "") + (r.predicted === false ? "; this git cannot predict conflicts (needs 2.38)" : "") + (r.cut ? "; a list was cut at its bound" : "") : "";
  }

  function renderMissions() {
    const m = state.missions || {};
    const box = $("missions");
    if (!m.root) {
      $("missions-count").textContent = "";
      box.replaceChildren(el("p", { class: "empty" }, "No missions folder."));
      return;
    }
    const queued = m.queued || [], active = m.active || [];
    $("missions-count").textContent = queued.length + " queued · " + active.length + " active · " + m.done + " done";
    box.replaceChildren(
      el("h3", {}, "Active"),
      active.length ? el("ul", { class: "list" }, active.map((a) => el("li", { class: "mission" + (a.alive ? "" : " stranded"), dataset: { missionId: a.id } },
        el("div", {}, el("strong", {}, a.id), " ", a.title),
        el("div", { class: "muted" }, "claimed by ", a.claimed_by ? who(a.claimed_by) : "–", a.age_s != null ? ", for " + span(a.age_s) : ""),
        el("div", {},
          a.alive ? null : el("span", { class: "pill red" }, "stranded: its session is gone"),
          a.stale ? el("span", { class: "pill amber" }, "stale: claimed over 24 h ago") : null,
          a.alive ? null : el("button", { class: "small give-back", onclick: () => giveBack(a) }, "Give back to the queue"))))) : el("p", { class: "empty" }, "none"),
      el("h3", {}, "Queue (best first)"),
      queued.length ? el("ol", { class: "list" }, queued.map((q) => el("li", { class: "mission" + (q.waits_for && q.waits_for.length ? " blocked" : ""), dataset: { missionId: q.id } },
        el("strong", {}, q.id), " ", q.title, " ", el("span", { class: "pill" }, "priority " + q.priority),
        q.waits_for && q.waits_for.length ? el("span", { class: "pill amber" }, "blocked by " + q.waits_for.join(", ")) : null))) : el("p", { class: "empty" }, "empty"),
      el("p", { class: "muted" }, m.done + " done"),
      ...(m.malformed || []).map((x) => el("p", { class: "error" }, "unreadable " + x.path + ": " + x.problem)));
  }

  let decisionSearch = null;
  function renderDecisions(list) {
    const items = list || (decisionSearch ? decisionSearch : state.decisions || []);
    $("decisions").replaceChildren(...items.map((d) => el("li", { dataset: { decisionId: d.id } },
      el("div", {}, el("span", { class: "pill" }, d.category), " ", el("strong", {}, d.title)),
      el("div", { class: "muted" }, d.id, d.scope ? " · " + d.scope : "", " · ", time(d.created_at)))));
    if (!items.length) $("decisions").append(el("li", { class: "empty" }, "No decisions."));
  }
  async function searchDecisions() {
    const text = $("decision-text").value.trim(), cat = $("decision-category").value.trim();
    if (!text && !cat) { decisionSearch = null; renderDecisions(); return; }
    const q = new URLSearchParams({ text, category: cat });
    const r = await fetch("/api/decisions?" + q, { credentials: "same-origin" });
    decisionSearch = r.ok ? await r.json() : [];
    renderDecisions();
  }

  function renderAudit() {
    const events = state.audit || [];
    const sel = $("audit-event");
    const known = new Set([...sel.options].map((o) => o.value));
    for (const e of events) if (!known.has(e.event)) { known.add(e.event); sel.append(el("option", { value: e.event }, e.event)); }
    const text = $("audit-text").value.trim().toLowerCase(), kind = sel.value;
    const shown = events.filter((e) => (!kind || e.event === kind) && (!text || JSON.stringify(e).toLowerCase().includes(text)));
    $("audit").replaceChildren(...shown.map((e) => el("li", { class: "ev-" + e.event },
      el("time", { datetime: e.at }, time(e.at)),
      el("span", { class: "event" }, e.event),
      e.instance ? who(e.instance) : null,
      e.path ? el("code", {}, e.path) : null,
      e.token ? el("span", { class: "muted" }, " #" + e.token) : null,
      e.details ? el("span", { class: "details" }, Object.entries(e.details).map(([k, v]) => k + ": " + v).join(", ")) : null)));
    if (!shown.length) $("audit").append(el("li", { class: "empty" }, "No events."));
  }

  // Messages between sessions and people, newest first; the text is shown as text, never as markup.
  function renderMessages() {
    const list = (state.messages || []).slice().reverse();
    $("messages-count").textContent = list.length;
    $("messages").replaceChildren(...list.map((m) => el("li", { class: "msg k-" + m.kind, dataset: { messageId: m.id } },
      el("time", { datetime: m.at }, time(m.at)),
      el("span", { class: "event" }, m.kind.replace("_", " ")),
      m.person ? el("span", { class: "pill" }, "person") : m.from === "coord" ? el("span", { class: "pill" }, "coord") : who(m.from),
      el("span", { class: "muted" }, " → " + m.recipients.map(short).join(", ")),
      m.subject ? el("strong", {}, " " + m.subject) : null,
      el("div", { class: "body" }, m.body),
      m.about_paths && m.about_paths.length ? el("div", {}, m.about_paths.map((p) => el("code", {}, p))) : null)));
    if (!list.length) $("messages").append(el("li", { class: "empty" }, "No messages."));
  }

  // Lease countdowns move every second without a push.
  function tick() {
    for (const td of document.querySelectorAll("td.lease")) {
      const exp = Date.parse(td.dataset.expires), acq = Date.parse(td.dataset.acquired);
      const left = Math.max(0, (exp - now()) / 1000);
      const frac = Math.max(0, Math.min(1, (exp - now()) / Math.max(1, exp - acq)));
      td.replaceChildren(el("div", { class: "bar" }, el("div", { style: "width:" + Math.round(frac * 100) + "%" })), span(left));
    }
  }

  const renderers = { meta: renderMeta, sessions: () => { renderSessions(); renderLocks(); }, locks: () => { renderSessions(); renderLocks(); }, overlaps: renderOverlaps, waits: () => { renderSessions(); renderLocks(); }, decisions: () => { if (decisionSearch) searchDecisions(); else renderDecisions(); }, missions: renderMissions, messages: renderMessages, audit: () => { renderAudit(); renderSessions(); } };

  // ------------------------------------------------------------------ actions
  let pending = null;
  function ask(title, text, run) {
    pending = run;
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    $("reason").value = "";
    $("confirm-error").textContent = "";
    $("confirm-ok").disabled = true;
    $("confirm").showModal();
    $("reason").focus();
  }
  $("reason").addEventListener("input", () => { $("confirm-ok").disabled = !$("reason").value.trim(); });
  $("confirm-cancel").addEventListener("click", () => $("confirm").close());
  $("confirm-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const reason = $("reason").value.trim();
    if (!reason || !pending) return;
    $("confirm-ok").disabled = true;
    const r = await pending(reason);
    if (r.ok) { $("confirm").close(); toast(r.body.message || "done"); }
    else { $("confirm-error").textContent = r.body.error || "refused (HTTP " + r.status + ")"; $("confirm-ok").disabled = false; }
  });
  async function post(path, body) {
    const r = await fetch(path, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-Coord-Token": token }, body: JSON.stringify(body) });
    let json = {};
    try { json = await r.json(); } catch (e) { /* 403 has no body */ }
    return { ok: r.ok, status: r.status, body: json };
  }
  function forceRelease(l) {
    ask("Force-release " + l.path + "?", "Held (" + l.mode + ") by " + l.holder + (l.holder_task ? " (" + l.holder_task + ")" : "") + ", token " + l.token + ". The session is told on its next call that it lost this lock.",
      (reason) => post("/api/release", { path: l.path, reason }));
  }
  function giveBack(a) {
    ask("Give mission " + a.id + " back to the queue?", "Its claimer " + (a.claimed_by || "?") + " is gone. The mission file moves back to the queue with your reason in its log.",
      (reason) => post("/api/give-back", { mission_id: a.id, reason }));
  }
  $("send-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const to = $("send-to").value.trim(), body = $("send-body").value.trim(), subject = $("send-subject").value.trim();
    if (!to || !body) return;
    $("send-ok").disabled = true;
    const r = await post("/api/send", subject ? { to, subject, body } : { to, body });
    $("send-ok").disabled = false;
    if (r.ok) { $("send-body").value = ""; $("send-subject").value = ""; $("send-error").textContent = ""; toast(r.body.message || "sent"); }
    else $("send-error").textContent = r.body.error || "refused (HTTP " + r.status + ")";
  });
  let toastTimer;
  function toast(text) {
    const t = $("toast");
    t.textContent = text;
    t.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.remove("show"), 4000);
  }

  // ------------------------------------------------------------------ live feed
  let debounce;
  $("decision-text").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(searchDecisions, 200); });
  $("decision-category").addEventListener("input", () => { clearTimeout(debounce); debounce = setTimeout(searchDecisions, 200); });
  $("audit-text").addEventListener("input", renderAudit);
  $("audit-event").addEventListener("change", renderAudit);

  function connect() {
    const es = new EventSource("/events");
    es.onopen = () => { $("conn").textContent = "live"; $("conn-dot").className = "dot green"; };
    es.onerror = () => { $("conn").textContent = "reconnecting…"; $("conn-dot").className = "dot amber"; };
    es.onmessage = (msg) => {
      const changed = JSON.parse(msg.data);
      if (changed["audit+"]) {
        // The audit log grows at its head: only the new events come.
        changed.audit = changed["audit+"].concat(state.audit || []).slice(0, 1000);
        delete changed["audit+"];
      }
      Object.assign(state, changed);
      if (changed.meta && changed.meta.at) clockOffset = Date.parse(changed.meta.at) - Date.now();
      const done = new Set();
      for (const k of Object.keys(changed)) {
        const r = renderers[k];
        if (r && !done.has(r)) { done.add(r); r(); }
      }
      document.body.dataset.updated = String(Date.now());
    };
  }
  setInterval(tick, 1000);
  connect();
})();
