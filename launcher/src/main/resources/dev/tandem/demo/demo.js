// Tandem demo page: one WebRTC call to the echo agent, with the setup time split into its stages and live
// statistics from getStats(). Plain JavaScript, no build step, no external network.
//
// Everything the page knows is readable as window.tandemDemo (tests and curious people use it):
//   state    idle | starting | connected | stopping | stopped | failed
//   stages   {signalingMs, iceMs, dtlsMs, audioMs, totalMs}: each stage's own duration, filled as it completes
//   stats    the latest one-second sample; history: the last 30 of them
//   summary  after Stop; error: {stage, title, message, hint} after a failure; server: counters from /metrics
'use strict';

(() => {
  const params = new URLSearchParams(location.search);
  const numberParam = (name, fallback) => {
    const value = Number(params.get(name));
    return params.has(name) && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  // How long each stage may take before the page gives up and names it (overridable for tests: ?ice-timeout-ms=).
  const TIMEOUT_MS = {
    ice: numberParam('ice-timeout-ms', 10000),
    dtls: numberParam('dtls-timeout-ms', 10000),
    audio: numberParam('audio-timeout-ms', 10000),
  };
  const HISTORY = 30;
  const CALLS = '/v1/realtime/calls';

  const $ = (id) => document.getElementById(id);
  const ui = {
    start: $('start'), stop: $('stop'), status: $('status'), remote: $('remote'),
    error: $('error'), errorTitle: $('error-title'), errorMessage: $('error-message'), errorHint: $('error-hint'),
    stageBar: $('stage-bar'), setupTotal: $('setup-total'), path: $('path'), elapsed: $('elapsed'),
    counts: $('counts'), server: $('server'), summaryPanel: $('summary-panel'), summary: $('summary'),
  };

  const demo = window.tandemDemo = {
    state: 'idle',
    stages: {},
    stats: null,
    history: [],
    summary: null,
    error: null,
    server: null,
    location: null,
    start: () => start(),
    stop: () => stop(),
  };

  let call = null; // the call in progress: its peer connection, microphone, timers and stage times
  let polling = false; // a /metrics request is under way

  ui.start.addEventListener('click', () => start());
  ui.stop.addEventListener('click', () => stop());
  window.addEventListener('pagehide', () => hangUp(call));
  pollServer();
  setInterval(pollServer, 1000);
  drawCharts();

  // ---- the call ---------------------------------------------------------------------------------------------

  async function start() {
    if (call) {
      return;
    }
    const c = call = { t: {}, timers: [], prev: null, samples: [], first: null };
    demo.stages = {};
    demo.stats = null;
    demo.history = [];
    demo.summary = null;
    demo.error = null;
    demo.location = null;
    render();
    setState('starting', 'Asking for the microphone...');

    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      const port = location.port ? ':' + location.port : '';
      return fail(c, 'microphone', 'This page cannot use the microphone',
        'Browsers give the microphone only to secure pages, and ' + location.origin + ' is not one.',
        'Open http://localhost' + port + '/ (or http://127.0.0.1' + port + '/) in a browser on the machine that ' +
        'runs the demo, or put the page behind HTTPS.');
    }
    try {
      c.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      return micError(c, e);
    }
    if (!live(c)) {
      c.stream.getTracks().forEach((track) => track.stop());
      return;
    }

    // No ICE servers: the transceiver is ICE-lite and its answer carries the relay's address as the candidate.
    const pc = c.pc = new RTCPeerConnection();
    pc.addTransceiver(c.stream.getAudioTracks()[0], { direction: 'sendrecv', streams: [c.stream] });
    pc.ontrack = (event) => {
      ui.remote.srcObject = event.streams[0] || new MediaStream([event.track]);
      ui.remote.play().catch(() => {});
      // A remote track stays muted until its first RTP packet arrives: the first audio back.
      event.track.addEventListener('unmute', () => firstAudio(c, 'unmute'));
    };
    pc.addEventListener('iceconnectionstatechange', () => progress(c));
    pc.addEventListener('connectionstatechange', () => progress(c));

    try {
      await pc.setLocalDescription(await pc.createOffer());
    } catch (e) {
      return fail(c, 'signaling', 'The browser could not create an offer', String(e), '');
    }
    setState('starting', 'Signaling: posting the offer to ' + CALLS + '...');
    c.t.start = performance.now();
    let response;
    let body;
    try {
      response = await fetch(CALLS, {
        method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: pc.localDescription.sdp,
      });
      body = await response.text();
    } catch (e) {
      return fail(c, 'signaling', 'Cannot reach the signaling server', String(e),
        'Is bin/tandem demo still running? Reload the page once it is.');
    }
    if (!live(c)) {
      return;
    }
    c.t.answer = performance.now();
    if (response.status !== 201) {
      return refused(c, response, body);
    }
    c.location = demo.location = response.headers.get('Location');
    stageDone(c, 'signaling');
    try {
      await pc.setRemoteDescription({ type: 'answer', sdp: body });
    } catch (e) {
      return fail(c, 'signaling', 'The browser rejected the answer', String(e), '');
    }
    if (!live(c)) {
      return;
    }
    c.candidates = candidatesOf(body);
    c.ufrag = (/^a=ice-ufrag:(\S+)/m.exec(body) || [])[1];
    const sender = pc.getSenders()[0];
    c.dtls = sender && sender.transport;
    if (c.dtls) {
      c.dtls.addEventListener('statechange', () => progress(c));
    }
    setState('starting', 'ICE: checking the relay at ' + c.candidates.join(', ') + '...');
    timer(c, TIMEOUT_MS.ice, () => {
      if (!c.t.ice) {
        fail(c, 'ice', 'ICE timed out after ' + seconds(TIMEOUT_MS.ice),
          'No STUN answer came back through the relay at ' + c.candidates.join(', ') + '.',
          'The relay\'s UDP port must be reachable from this browser: check a firewall, or start the demo with ' +
          '--candidates HOST:PORT naming an address of the relay that this browser can reach.');
      }
    });
    progress(c);
  }

  // True while c is the call in progress and nobody has hung it up.
  function live(c) {
    return call === c && !c.ended && !c.stopping;
  }

  // Called on every ICE, DTLS and connection state change: records each stage once, in order.
  function progress(c) {
    if (!live(c) || !c.pc) {
      return;
    }
    const pc = c.pc;
    const ice = pc.iceConnectionState;
    const dtls = c.dtls ? c.dtls.state : null;
    if (!c.t.ice && (ice === 'connected' || ice === 'completed')) {
      c.t.ice = performance.now();
      stageDone(c, 'ice');
      setState('starting', 'DTLS: handshake with the transceiver...');
      timer(c, TIMEOUT_MS.dtls, () => {
        if (!c.t.dtls) {
          fail(c, 'dtls', 'DTLS timed out after ' + seconds(TIMEOUT_MS.dtls),
            'ICE connected through the relay, but the DTLS handshake with the transceiver did not finish.',
            'The demo\'s log says why; the tandem_dtls_* counters at /metrics count handshake failures.');
        }
      });
    }
    if (!c.t.dtls && (dtls === 'connected' || pc.connectionState === 'connected')) {
      if (!c.t.ice) {
        c.t.ice = performance.now();
        stageDone(c, 'ice');
      }
      c.t.dtls = performance.now();
      stageDone(c, 'dtls');
      setState('starting', 'Connected: waiting for the first audio back from the echo agent...');
      c.statsTimer = setInterval(() => sample(c), 1000);
      c.fastTimer = setInterval(() => sample(c, true), 50);
      timer(c, TIMEOUT_MS.audio, () => {
        if (!c.t.audio) {
          fail(c, 'audio', 'No audio came back within ' + seconds(TIMEOUT_MS.audio),
            'The call is connected, but the echo agent sent nothing back.',
            'Check the tandem_transceiver_frames_to_backend_total and _from_backend_total counters at /metrics.');
        }
      });
    }
    if (!c.t.ice && ice === 'failed') {
      fail(c, 'ice', 'ICE failed', 'The browser gave up on reaching the relay at ' + c.candidates.join(', ') + '.',
        'The relay\'s UDP port must be reachable from this browser.');
    } else if (c.t.ice && !c.t.dtls && (dtls === 'failed' || pc.connectionState === 'failed')) {
      fail(c, 'dtls', 'DTLS failed', 'The DTLS handshake with the transceiver failed.',
        'The demo\'s log says why.');
    } else if (c.t.dtls && (ice === 'failed' || pc.connectionState === 'failed')) {
      fail(c, 'media', 'The connection was lost', 'No more answers came from the relay.',
        'Was the demo stopped? Start it again, then press Start.');
    } else if (c.t.audio && ice === 'disconnected') {
      setState('connected', 'Connection interrupted: waiting for the relay...');
    } else if (c.t.audio && ice === 'connected') {
      setState('connected', 'In a call: speak, and hear yourself back.');
    }
  }

  function firstAudio(c, how) {
    if (call !== c || c.t.audio || !c.t.dtls || c.ended) {
      return;
    }
    c.t.audio = performance.now();
    c.firstAudioBy = how;
    clearInterval(c.fastTimer);
    stageDone(c, 'audio');
    demo.stages.totalMs = round(c.t.audio - c.t.start, 1);
    demo.state = 'connected';
    ui.stop.disabled = false;
    setState('connected', 'In a call: speak, and hear yourself back.');
    render();
  }

  async function stop() {
    const c = call;
    if (!c || c.stopping) {
      return;
    }
    c.stopping = true;
    setState('stopping', 'Hanging up...');
    if (c.pc && c.t.dtls) {
      await sample(c);
    }
    const ended = await hangUp(c);
    demo.summary = summarize(c, ended);
    call = null;
    ui.start.disabled = false;
    ui.stop.disabled = true;
    setState('stopped', ended === 200 ? 'Call ended.' : 'Call ended here; the server answered ' + ended + '.');
    render();
    pollServer();
  }

  // Close the peer connection and the microphone, then DELETE the call so the server ends it now rather than at
  // its consent timeout. Returns the DELETE's status (or 'none' / the error).
  async function hangUp(c) {
    if (!c || c.ended) {
      return 'none';
    }
    c.ended = true;
    c.timers.forEach(clearTimeout);
    clearInterval(c.statsTimer);
    clearInterval(c.fastTimer);
    if (c.pc) {
      c.pc.close();
    }
    if (c.stream) {
      c.stream.getTracks().forEach((track) => track.stop());
    }
    ui.remote.srcObject = null;
    if (!c.location) {
      return 'none';
    }
    try {
      const response = await fetch(c.location, { method: 'DELETE', keepalive: true });
      return response.status;
    } catch (e) {
      return String(e);
    }
  }

  function fail(c, stage, title, message, hint) {
    if (call !== c || c.ended) {
      return;
    }
    demo.error = { stage, title, message, hint };
    ui.errorTitle.textContent = title;
    ui.errorMessage.textContent = message;
    ui.errorHint.textContent = hint || '';
    ui.error.hidden = false;
    const row = document.querySelector('tr[data-stage="' + stage + '"]');
    if (row) {
      row.classList.add('failed');
      $('stage-' + stage).textContent = 'failed';
    }
    hangUp(c).then(() => pollServer());
    call = null;
    ui.start.disabled = false;
    ui.stop.disabled = true;
    setState('failed', 'Failed: ' + title + '.');
    render();
  }

  function micError(c, e) {
    const name = e && e.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return fail(c, 'microphone', 'Microphone permission denied',
        'The browser did not let this page use the microphone (' + name + ').',
        'Allow the microphone for this page (the icon at the left of the address bar, or the browser\'s site ' +
        'settings), then press Start again.');
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      return fail(c, 'microphone', 'No microphone found', 'The browser found no audio input device (' + name + ').',
        'Connect a microphone or headset, then press Start again.');
    }
    if (name === 'NotReadableError' || name === 'AbortError') {
      return fail(c, 'microphone', 'The microphone cannot be opened',
        'The browser could not read the microphone (' + name + '): another program may hold it.',
        'Close the other program that uses the microphone, then press Start again.');
    }
    return fail(c, 'microphone', 'The microphone failed', String(e), '');
  }

  function refused(c, response, body) {
    let problem = {};
    try {
      problem = JSON.parse(body).error || {};
    } catch (e) {
      problem = { message: body.slice(0, 300) };
    }
    const retry = response.headers.get('Retry-After');
    let hint = 'The browser\'s offer was not accepted; the reason above comes from the server.';
    if (response.status === 503 || response.status === 429) {
      hint = 'The server is full or draining: try again' + (retry ? ' in ' + retry + ' s' : ' later') + '.';
    } else if (response.status >= 500) {
      hint = 'The server failed: its log says why.';
    }
    fail(c, 'signaling', 'Signaling refused: HTTP ' + response.status + (problem.reason ? ' ' + problem.reason : ''),
      problem.message || ('the server answered ' + response.status), hint);
  }

  function stageDone(c, stage) {
    const t = c.t;
    const edges = { signaling: [t.start, t.answer], ice: [t.answer, t.ice], dtls: [t.ice, t.dtls],
      audio: [t.dtls, t.audio] }[stage];
    demo.stages[stage + 'Ms'] = round(edges[1] - edges[0], 1);
    render();
  }

  function timer(c, delayMs, fn) {
    c.timers.push(setTimeout(fn, delayMs));
  }

  // ---- statistics ---------------------------------------------------------------------------------------------

  // One getStats() sample. Rates (loss, level) are over the interval since the previous sample. With quick set,
  // only looks for the first audio back.
  async function sample(c, quick) {
    if (!c.pc || c.ended || c.sampling) {
      return;
    }
    c.sampling = true;
    let report;
    try {
      report = await c.pc.getStats();
    } catch (e) {
      return;
    } finally {
      c.sampling = false;
    }
    let inbound = null;
    let outbound = null;
    let remoteInbound = null;
    let source = null;
    let transport = null;
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        inbound = s;
      } else if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        outbound = s;
      } else if (s.type === 'remote-inbound-rtp' && s.kind === 'audio') {
        remoteInbound = s;
      } else if (s.type === 'media-source' && s.kind === 'audio') {
        source = s;
      } else if (s.type === 'transport') {
        transport = s;
      }
    });
    if (inbound && inbound.packetsReceived > 0) {
      firstAudio(c, 'getStats');
    }
    if (quick || c.ended) {
      return;
    }
    let pair = transport && transport.selectedCandidatePairId ? report.get(transport.selectedCandidatePairId) : null;
    if (!pair) {
      report.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          pair = s;
        }
      });
    }
    const now = performance.now();
    const prev = c.prev;
    const received = inbound ? inbound.packetsReceived || 0 : 0;
    const lost = inbound ? Math.max(0, inbound.packetsLost || 0) : 0;
    const dReceived = received - (prev ? prev.packetsReceived : 0);
    const dLost = lost - (prev ? prev.packetsLost : 0);
    const s = {
      atMs: round(now - c.t.start),
      rttMs: null,
      rttFrom: null,
      jitterMs: inbound && inbound.jitter != null ? inbound.jitter * 1000 : null,
      lossPercent: dReceived + dLost > 0 ? 100 * Math.max(0, dLost) / (dReceived + dLost) : 0,
      packetsReceived: received,
      packetsLost: lost,
      packetsSent: outbound ? outbound.packetsSent || 0 : 0,
      bytesReceived: inbound ? inbound.bytesReceived || 0 : 0,
      bytesSent: outbound ? outbound.bytesSent || 0 : 0,
      echoEnergy: inbound ? inbound.totalAudioEnergy || 0 : 0,
      echoDuration: inbound ? inbound.totalSamplesDuration || 0 : 0,
      micEnergy: source ? source.totalAudioEnergy || 0 : 0,
      micDuration: source ? source.totalSamplesDuration || 0 : 0,
      remoteAddress: null,
    };
    // RTT: the RTCP receiver reports of the transceiver (remote-inbound-rtp), else the ICE consent checks.
    if (remoteInbound && remoteInbound.roundTripTime != null) {
      s.rttMs = remoteInbound.roundTripTime * 1000;
      s.rttFrom = 'rtcp';
    } else if (pair && pair.currentRoundTripTime != null) {
      s.rttMs = pair.currentRoundTripTime * 1000;
      s.rttFrom = 'ice';
    }
    if (pair) {
      const remote = report.get(pair.remoteCandidateId);
      const local = report.get(pair.localCandidateId);
      if (remote) {
        s.remoteAddress = hostPort(remote.address || remote.ip, remote.port);
      }
      if (local) {
        s.localAddress = hostPort(local.address || local.ip, local.port);
      }
    }
    // Audio level as dBFS over the interval, from the energy counters (audioLevel is one instant, often a pause).
    s.echoLevel = levelDb(s.echoEnergy, s.echoDuration, prev && prev.echoEnergy, prev && prev.echoDuration,
      inbound && inbound.audioLevel);
    s.micLevel = levelDb(s.micEnergy, s.micDuration, prev && prev.micEnergy, prev && prev.micDuration,
      source && source.audioLevel);
    c.prev = s;
    c.samples.push(s);
    if (!c.first) {
      c.first = s;
    }
    demo.stats = s;
    demo.history = c.samples.slice(-HISTORY);
    render();
  }

  function levelDb(energy, duration, prevEnergy, prevDuration, instant) {
    const dDuration = duration - (prevDuration || 0);
    let linear = null;
    if (dDuration > 0) {
      linear = Math.sqrt(Math.max(0, energy - (prevEnergy || 0)) / dDuration);
    } else if (instant != null) {
      linear = instant;
    }
    if (linear == null) {
      return null;
    }
    return Math.max(-100, 20 * Math.log10(Math.max(linear, 1e-5)));
  }

  function summarize(c, ended) {
    const samples = c.samples;
    const last = samples.length ? samples[samples.length - 1] : null;
    const values = (key) => samples.map((s) => s[key]).filter((v) => v != null);
    const mean = (list) => list.length ? list.reduce((a, b) => a + b, 0) / list.length : null;
    const max = (list) => list.length ? Math.max(...list) : null;
    const rtt = values('rttMs');
    const jitter = values('jitterMs');
    const received = last ? last.packetsReceived : 0;
    const lost = last ? last.packetsLost : 0;
    const echoDuration = last ? last.echoDuration : 0;
    return {
      durationS: c.t.audio ? round((performance.now() - c.t.audio) / 1000, 1) : 0,
      setupMs: demo.stages.totalMs != null ? demo.stages.totalMs : null,
      stages: Object.assign({}, demo.stages),
      packetsSent: last ? last.packetsSent : 0,
      packetsReceived: received,
      packetsLost: lost,
      lossPercent: received + lost > 0 ? round(100 * lost / (received + lost), 2) : 0,
      rttMeanMs: round(mean(rtt), 1),
      rttMaxMs: round(max(rtt), 1),
      rttFrom: last ? last.rttFrom : null,
      jitterMeanMs: round(mean(jitter), 1),
      jitterMaxMs: round(max(jitter), 1),
      echoLevelDb: echoDuration > 0 ? round(levelDb(last.echoEnergy, echoDuration, 0, 0, null), 1) : null,
      micLevelDb: last && last.micDuration > 0 ? round(levelDb(last.micEnergy, last.micDuration, 0, 0, null), 1) : null,
      firstAudioBy: c.firstAudioBy || null,
      serverEnded: ended === 200,
      deleteStatus: ended,
    };
  }

  // The counters of the whole path from the demo's /metrics (relay and transceiver share one Aeron counters file).
  async function pollServer() {
    if (polling) {
      return;
    }
    polling = true;
    try {
      const response = await fetch('/metrics', { cache: 'no-store' });
      const text = await response.text();
      const sum = (name, labelFilter) => {
        let total = 0;
        let found = false;
        for (const line of text.split('\n')) {
          if (line.startsWith(name + '{') || line.startsWith(name + ' ')) {
            if (!labelFilter || line.includes(labelFilter)) {
              total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
              found = true;
            }
          }
        }
        return found ? total : null;
      };
      const drops = {};
      for (const line of text.split('\n')) {
        const m = /^tandem_relay_drops_total\{.*reason="([^"]+)".*\} (\d+)/.exec(line);
        if (m && Number(m[2]) > 0) {
          drops[m[1]] = (drops[m[1]] || 0) + Number(m[2]);
        }
      }
      demo.server = {
        sessions: sum('tandem_transceiver_sessions'),
        sessionsCreated: sum('tandem_transceiver_sessions_created_total'),
        relayFlows: sum('tandem_relay_flows_active'),
        relayPacketsIn: sum('tandem_relay_packets_in_total'),
        relayForwarded: sum('tandem_relay_forwarded_total'),
        relaySent: sum('tandem_relay_sent_total'),
        relayDrops: drops,
        framesToBackend: sum('tandem_transceiver_frames_to_backend_total'),
        framesFromBackend: sum('tandem_transceiver_frames_from_backend_total'),
      };
    } catch (e) {
      demo.server = null;
    } finally {
      polling = false;
    }
    renderServer();
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  function setState(state, text) {
    demo.state = state;
    ui.status.dataset.state = state;
    ui.status.textContent = text;
    ui.start.disabled = state === 'starting' || state === 'connected' || state === 'stopping';
    ui.stop.disabled = !(state === 'starting' || state === 'connected');
    if (state === 'starting') {
      ui.error.hidden = true;
      ui.summaryPanel.hidden = true;
      document.querySelectorAll('tr.failed').forEach((row) => row.classList.remove('failed'));
    }
  }

  function render() {
    const st = demo.stages;
    const names = ['signaling', 'ice', 'dtls', 'audio'];
    const failedStage = demo.error ? demo.error.stage : null;
    for (const name of names) {
      const v = st[name + 'Ms'];
      if (name !== failedStage) {
        $('stage-' + name).textContent = v != null ? v + ' ms' : '\u2013';
      }
    }
    ui.setupTotal.textContent = st.totalMs != null ? st.totalMs + ' ms from offer to first audio' : '';
    const total = names.reduce((a, n) => a + (st[n + 'Ms'] || 0), 0);
    ui.stageBar.replaceChildren(...names.filter((n) => st[n + 'Ms'] != null).map((n) => {
      const span = document.createElement('span');
      span.className = 's-' + n;
      span.style.width = (total > 0 ? 100 * st[n + 'Ms'] / total : 0) + '%';
      span.title = n + ' ' + st[n + 'Ms'] + ' ms';
      return span;
    }));

    const c = call;
    const s = demo.stats;
    const path = [];
    if (c && c.candidates) {
      path.push('relay candidate ' + c.candidates.join(', '));
    }
    if (s && s.remoteAddress) {
      path.push('selected pair ' + (s.localAddress || '?') + ' \u2192 ' + s.remoteAddress);
    }
    if (c && c.ufrag) {
      path.push('route token (server ufrag) ' + c.ufrag.slice(0, 24) + (c.ufrag.length > 24 ? '\u2026' : ''));
    }
    if (path.length) {
      ui.path.textContent = path.join('  \u00b7  ');
    }

    $('v-rtt').textContent = s && s.rttMs != null ? fixed(s.rttMs, 1) : '\u2013';
    $('v-jitter').textContent = s && s.jitterMs != null ? fixed(s.jitterMs, 1) : '\u2013';
    $('v-loss').textContent = s ? fixed(s.lossPercent, 1) : '\u2013';
    $('v-level').textContent = s && s.echoLevel != null ? fixed(s.echoLevel, 0) : '\u2013';
    ui.elapsed.textContent = c && c.t.audio && s ? 'call time ' + Math.round((performance.now() - c.t.audio) / 1000) +
      ' s' + (s.rttFrom ? ', RTT from ' + (s.rttFrom === 'rtcp' ? 'RTCP reports' : 'ICE checks') : '') : '';
    ui.counts.textContent = s ? 'sent ' + s.packetsSent + ' packets (' + kb(s.bytesSent) + '), received ' +
      s.packetsReceived + ' (' + kb(s.bytesReceived) + '), lost ' + s.packetsLost : '';
    drawCharts();
    renderSummary();
  }

  function renderServer() {
    const v = demo.server;
    if (!v) {
      ui.server.textContent = 'metrics unavailable';
      return;
    }
    const n = (x) => x == null ? '\u2013' : String(x);
    const drops = Object.entries(v.relayDrops).map(([reason, count]) => reason + ' ' + count).join(', ');
    ui.server.textContent = 'relay: ' + n(v.relayFlows) + ' flow(s), ' + n(v.relayPacketsIn) + ' packets in, ' +
      n(v.relayForwarded) + ' forwarded, ' + n(v.relaySent) + ' sent to clients, drops: ' + (drops || 'none') +
      '  \u00b7  transceiver: ' + n(v.sessions) + ' session(s) open, ' + n(v.sessionsCreated) + ' created, ' +
      n(v.framesToBackend) + ' frames to the echo agent, ' + n(v.framesFromBackend) + ' back';
  }

  function renderSummary() {
    const m = demo.summary;
    if (!m) {
      return;
    }
    const rows = [
      ['Call time', m.durationS + ' s'],
      ['Setup, offer to first audio', m.setupMs != null ? m.setupMs + ' ms' : '\u2013'],
      ['Stages', ['signaling', 'ice', 'dtls', 'audio'].map((n) => n + ' ' +
        (m.stages[n + 'Ms'] != null ? m.stages[n + 'Ms'] : '\u2013')).join(' / ') + ' ms'],
      ['Round-trip time', m.rttMeanMs != null ? 'mean ' + m.rttMeanMs + ' ms, max ' + m.rttMaxMs + ' ms' : '\u2013'],
      ['Jitter', m.jitterMeanMs != null ? 'mean ' + m.jitterMeanMs + ' ms, max ' + m.jitterMaxMs + ' ms' : '\u2013'],
      ['Packets', m.packetsSent + ' sent, ' + m.packetsReceived + ' received, ' + m.packetsLost + ' lost (' +
        m.lossPercent + ' %)'],
      ['Echo level', m.echoLevelDb != null ? m.echoLevelDb + ' dBFS (mic ' + m.micLevelDb + ' dBFS)' : '\u2013'],
      ['Ended on the server', m.serverEnded ? 'yes (DELETE ' + m.deleteStatus + ')' : 'no (' + m.deleteStatus + ')'],
    ];
    ui.summary.replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }));
    ui.summaryPanel.hidden = false;
  }

  function drawCharts() {
    const h = demo.history;
    const css = getComputedStyle(document.documentElement);
    const color = (name) => css.getPropertyValue(name).trim();
    chart($('c-rtt'), [{ values: h.map((s) => s.rttMs), color: color('--accent') }], 0, 5);
    chart($('c-jitter'), [{ values: h.map((s) => s.jitterMs), color: color('--ice') }], 0, 5);
    chart($('c-loss'), [{ values: h.map((s) => s.lossPercent), color: color('--audio') }], 0, 1);
    chart($('c-level'), [
      { values: h.map((s) => s.micLevel), color: color('--mic') },
      { values: h.map((s) => s.echoLevel), color: color('--echo') },
    ], -60, 0, true);
  }

  // A sparkline of the last HISTORY samples, filling from the left: a fixed range for levels, else 0 to the larger
  // of minMax and the data.
  function chart(canvas, series, min, minMax, fixedRange) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || canvas.width;
    const height = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    let max = minMax;
    if (!fixedRange) {
      for (const s of series) {
        for (const v of s.values) {
          if (v != null && v > max) {
            max = v;
          }
        }
      }
      max *= 1.15;
    }
    g.strokeStyle = '#eef1f5';
    g.lineWidth = 1;
    g.beginPath();
    for (let i = 1; i < 4; i++) {
      const y = Math.round(height * i / 4) + 0.5;
      g.moveTo(0, y);
      g.lineTo(width, y);
    }
    g.stroke();
    const label = fixedRange ? max + ' .. ' + min : 'max ' + fixed(max, max < 10 ? 1 : 0);
    g.font = '10px sans-serif';
    g.textAlign = 'right';
    g.fillStyle = '#ffffff';
    g.fillRect(width - g.measureText(label).width - 6, 0, g.measureText(label).width + 6, 12);
    g.fillStyle = '#9aa4b2';
    g.fillText(label, width - 2, 9);
    const step = width / (HISTORY - 1);
    for (const s of series) {
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.beginPath();
      let drawing = false;
      s.values.forEach((v, i) => {
        if (v == null) {
          drawing = false;
          return;
        }
        const clamped = Math.min(max, Math.max(min, v));
        const x = i * step;
        const y = height - 1 - (clamped - min) / (max - min) * (height - 2);
        if (drawing) {
          g.lineTo(x, y);
        } else {
          g.moveTo(x, y);
          drawing = true;
        }
      });
      g.stroke();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  function candidatesOf(sdp) {
    const found = [];
    const re = /^a=candidate:\S+ \d+ udp \d+ (\S+) (\d+) typ/gim;
    let m;
    while ((m = re.exec(sdp)) !== null) {
      found.push(hostPort(m[1], m[2]));
    }
    return found;
  }

  function hostPort(host, port) {
    return (String(host).includes(':') ? '[' + host + ']' : host) + ':' + port;
  }

  function round(v, digits) {
    if (v == null || !Number.isFinite(v)) {
      return null;
    }
    const f = Math.pow(10, digits || 0);
    return Math.round(v * f) / f;
  }

  function fixed(v, digits) {
    return Number(v).toFixed(digits);
  }

  function seconds(ms) {
    return (ms / 1000) + ' s';
  }

  function kb(bytes) {
    return (bytes / 1024).toFixed(1) + ' KiB';
  }
})();
