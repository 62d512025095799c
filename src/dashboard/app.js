/* hydrawatch dashboard: plain JS, no build step. Every figure comes from the token-protected API.
 * Text from the API comes from hostile channels: the DOM is built with textContent only, never innerHTML. */
'use strict';

(function () {
  const TOKEN_KEY = 'hydrawatch.token';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  const EVENT_LABELS = { first_seen: 'new channels', removed: 'takedowns', resurfaced: 'resurfacings' };
  const MARKER_COLORS = { removed: '#dc2626', resurfaced: '#16a34a', first_seen: '#6b7280' };

  /** What each chart was drawn with, for tests and curious analysts: window.hydrawatch.charts[name]. */
  const state = { token: '', charts: {}, chartData: {}, blobUrls: new Set() };
  window.hydrawatch = { charts: state.chartData };

  // ---------------------------------------------------------------- small DOM helpers

  const $ = (sel) => document.querySelector(sel);

  /** el('td', {class: 'x', dataset: {id: '1'}}, 'text', childNode…): children are text or nodes, never HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k === 'onclick') node.addEventListener('click', v);
      else node.setAttribute(k, String(v));
    }
  }

  const fmtTime = (iso) => (iso ? String(iso).slice(0, 16).replace('T', ' ') : '–');
  // two decimals; a value that rounds to zero shows as 0.00, never -0.00
  const fmtNum = (n) => (n === undefined || n === null ? '–' : Number.isInteger(n) ? String(n) : (Math.abs(n) < 0.005 ? 0 : Number(n)).toFixed(2));
  const statusBadge = (status) => el('span', { class: `badge status-${cssToken(status || 'unknown')}` }, status || 'unknown');
  const cssToken = (s) => String(s).replace(/[^a-z0-9_-]/gi, '_');

  function setRows(tbody, rows, emptyText, colspan) {
    tbody.replaceChildren(...(rows.length ? rows : [el('tr', { class: 'empty' }, el('td', { colspan }, emptyText))]));
  }

  // ---------------------------------------------------------------- token, errors and fetching

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** The resurfacing an alert email's "Details" link opens: `#resurfacing=<event id>`. */
  function readResurfacingId() {
    const m = /(?:^#|&)resurfacing=([^&]+)/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function readToken() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      // keep the token out of the history (and the resurfacing asked for in the address)
      const r = readResurfacingId();
      history.replaceState(null, '', location.pathname + location.search + (r ? `#resurfacing=${encodeURIComponent(r)}` : ''));
    }
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  function showBanner(text, kind) {
    const b = $('#banner');
    b.textContent = text;
    b.className = `banner ${kind || 'error'}`;
    b.dataset.kind = kind || 'error';
  }

  function hideBanner() {
    $('#banner').className = 'banner hidden';
  }

  function showTokenForm(show) {
    $('#token-form').classList.toggle('hidden', !show);
    if (show) $('#token-input').focus();
  }

  /** Turns a failed response or a network error into one message for the analyst. */
  function describeError(err) {
    if (!(err instanceof ApiError)) return `Cannot reach the hydrawatch API (${err.message}). Is it running?`;
    if (err.status === 401) return 'The API token was not accepted (401). Paste a valid token.';
    if (err.status === 403) return `This token may not do that (403): ${err.message}`;
    if (err.status === 503) return `The database is unavailable (503): ${err.message}`;
    return `The API answered ${err.status}: ${err.message}`;
  }

  function handleError(err, where) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      showBanner(describeError(err), 'auth');
      if (err.status === 401) showTokenForm(true);
    } else {
      showBanner(describeError(err), 'error');
    }
    if (!where) return;
    const msg = el('p', { class: 'view-error' }, describeError(err));
    where.replaceChildren(where.tagName === 'TBODY' ? el('tr', {}, el('td', { colspan: 99 }, msg)) : msg);
  }

  async function apiFetch(path) {
    const res = await fetch(path, { headers: { authorization: `Bearer ${state.token}` }, cache: 'no-store' });
    if (!res.ok) {
      let message = res.statusText;
      try {
        const body = await res.json();
        message = body.message || body.error || message;
      } catch (_) {
        /* not JSON */
      }
      throw new ApiError(res.status, message);
    }
    return res;
  }

  const apiJson = async (path) => (await apiFetch(path)).json();

  /** Fetches with the token and saves the answer through a blob URL (the server names the file). */
  async function download(path, fallbackName) {
    try {
      const res = await apiFetch(path);
      const cd = res.headers.get('content-disposition') || '';
      const name = (/filename="([^"]+)"/.exec(cd) || [])[1] || fallbackName;
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      handleError(err);
    }
  }

  // ---------------------------------------------------------------- filters

  const FILTER_KEYS = ['from', 'to', 'tag', 'lang', 'source'];

  function currentFilters() {
    const form = $('#filters');
    const f = {};
    for (const k of FILTER_KEYS) {
      const v = form.elements[k].value.trim();
      if (v) f[k] = v;
    }
    return f;
  }

  /** A query string with the filters a route supports, plus route-specific parameters. */
  function query(allowed, extra) {
    const f = currentFilters();
    const p = new URLSearchParams();
    for (const k of allowed) if (f[k]) p.set(k, f[k]);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : '';
  }

  const ALL = ['from', 'to', 'tag', 'lang', 'source'];
  const NO_LANG = ['from', 'to', 'tag', 'source'];

  // ---------------------------------------------------------------- charts

  /** Records what a chart shows (labels and one array per series) on its container and in window.hydrawatch. */
  function recordChart(name, box, data, extra) {
    const values = { labels: data.labels, series: Object.fromEntries(data.datasets.map((d) => [d.label, d.data])), ...(extra || {}) };
    state.chartData[name] = values;
    box.dataset.values = JSON.stringify(values);
  }

  function drawChart(name, box, config, extra) {
    if (state.charts[name]) state.charts[name].destroy();
    const canvas = box.querySelector('canvas');
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, plugins: {} }, config.options || {});
    config.options.plugins = Object.assign({ legend: { position: 'bottom' } }, config.options.plugins);
    state.charts[name] = new window.Chart(canvas, config);
    recordChart(name, box, config.data, extra);
    box.dataset.state = 'drawn';
  }

  /** Every UTC day from first to last (YYYY-MM-DD), so gaps show as zero. */
  function daysBetween(first, last) {
    const out = [];
    const end = Date.parse(`${last}T00:00:00Z`);
    for (let t = Date.parse(`${first}T00:00:00Z`); t <= end && out.length < 3660; t += 86400000) out.push(new Date(t).toISOString().slice(0, 10));
    return out;
  }

  function dataset(label, data, i, type) {
    const color = COLORS[i % COLORS.length];
    return {
      label,
      data,
      borderColor: color,
      backgroundColor: type === 'line' ? `${color}33` : color,
      tension: 0.2,
      pointRadius: 3,
      fill: type === 'line',
      maxBarThickness: 56,
    };
  }

  /**
   * A small plugin: dashed vertical lines with a label, at a (fractional) category position, so that an event at
   * 08:00 sits a third into its day's bar slot. Labels of markers on the same slot stack; near the right edge they
   * are right-aligned so they stay inside the chart.
   */
  const markerLines = {
    id: 'markerLines',
    afterDatasetsDraw(chart, _args, opts) {
      const { ctx, chartArea, scales } = chart;
      const markers = ((opts && opts.markers) || []).map((m) => ({ ...m, x: scales.x.getPixelForValue(m.position) }));
      ctx.save();
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      for (const m of markers) {
        ctx.strokeStyle = m.color;
        ctx.beginPath();
        ctx.moveTo(m.x, chartArea.top);
        ctx.lineTo(m.x, chartArea.bottom);
        ctx.stroke();
      }
      ctx.font = '12px system-ui, sans-serif';
      markers.forEach((m, i) => {
        const w = ctx.measureText(m.label).width;
        const tx = m.x + 6 + w > chartArea.right ? m.x - 6 - w : m.x + 6;
        const ty = chartArea.top + 14 + i * 16;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
        ctx.fillRect(tx - 3, ty - 12, w + 6, 16);
        ctx.fillStyle = m.color;
        ctx.fillText(m.label, tx, ty);
      });
      ctx.restore();
    },
  };

  // ---------------------------------------------------------------- view: trends

  async function loadPostsChart() {
    const box = $('#chart-posts');
    const by = $('#posts-by').value;
    const body = await apiJson(`/api/v1/trends/posts${query(ALL, { period: 'day', by })}`);
    const periods = body.rows.map((r) => r.period).sort();
    const labels = periods.length ? daysBetween(periods[0], periods[periods.length - 1]) : [];
    const keys = [...new Set(body.rows.map((r) => r.key))].sort();
    const datasets = keys.map((key, i) => {
      const byDay = Object.fromEntries(body.rows.filter((r) => r.key === key).map((r) => [r.period, r.posts]));
      return dataset(
        by === 'total' ? 'posts' : key,
        labels.map((d) => byDay[d] || 0),
        i,
        'line',
      );
    });
    drawChart(
      'posts',
      box,
      {
        type: 'line',
        data: { labels, datasets },
        options: { scales: { x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } }, y: { beginAtZero: true, ticks: { precision: 0 } } } },
      },
      { by, rows: body.rows },
    );
  }

  async function loadEventsChart() {
    const body = await apiJson(`/api/v1/trends/events${query(NO_LANG, { period: 'week' })}`);
    const labels = [...new Set(body.rows.map((r) => r.period))].sort();
    const types = Object.keys(EVENT_LABELS);
    const datasets = types.map((type, i) => {
      const byWeek = Object.fromEntries(body.rows.filter((r) => r.type === type).map((r) => [r.period, r.count]));
      return dataset(
        EVENT_LABELS[type],
        labels.map((w) => byWeek[w] || 0),
        i,
        'bar',
      );
    });
    drawChart('events', $('#chart-events'), {
      type: 'bar',
      data: { labels, datasets },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function renderNumbers(dl, pairs) {
    dl.replaceChildren(
      ...pairs.map(([key, label, value]) => el('div', { class: 'number' }, el('dt', {}, label), el('dd', { 'data-testid': key }, fmtNum(value)))),
    );
  }

  async function loadHydra() {
    const h = await apiJson(`/api/v1/trends/hydra${query(NO_LANG)}`);
    renderNumbers($('#hydra'), [
      ['hydra-takedowns', 'takedowns', h.takedowns],
      ['hydra-successors', 'successors', h.successors],
      ['hydra-per-takedown', 'successors per takedown', h.successorsPerTakedown],
      ['hydra-resurfaced', 'takedowns that resurfaced', h.resurfacedTakedowns],
      ['hydra-chains', 'lineage chains', h.chainLengths.count],
      ['hydra-longest', 'longest chain', h.chainLengths.max],
    ]);
  }

  async function loadDistribution(path, dl, prefix) {
    const d = (await apiJson(`${path}${query(NO_LANG)}`)).distribution;
    renderNumbers(dl, [
      [`${prefix}-count`, 'count', d.count],
      [`${prefix}-p50`, 'p50', d.p50],
      [`${prefix}-p90`, 'p90', d.p90],
      [`${prefix}-max`, 'max', d.max],
    ]);
  }

  async function loadVelocity() {
    const body = await apiJson(`/api/v1/trends/view-velocity${query(['from', 'to', 'tag', 'source'], { limit: '10' })}`);
    const posts = body.posts;
    const labels = posts.map((p) => p.postKey.split(':').slice(2).join(':') || p.postKey);
    const datasets = [
      ['h1', 'after 1 h'],
      ['h6', 'after 6 h'],
      ['h24', 'after 24 h'],
    ].map(([k, label], i) =>
      dataset(
        label,
        posts.map((p) => (p[k] === undefined ? null : p[k])),
        i,
        'bar',
      ),
    );
    drawChart(
      'velocity',
      $('#chart-velocity'),
      { type: 'bar', data: { labels, datasets }, options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } },
      { posts: posts.map((p) => p.postKey) },
    );
  }

  async function loadTakedownsByPlatform() {
    const body = await apiJson(`/api/v1/trends/takedowns-by-platform${query(NO_LANG)}`);
    renderNumbers(
      $('#takedowns-platform'),
      body.platforms.flatMap((p) => [
        [`ttp-${p.platform}-channels`, `${p.platform}: channels (${p.channels.count})`, p.channels.p50],
        [`ttp-${p.platform}-posts`, `${p.platform}: posts (${p.posts.count})`, p.posts.p50],
      ]),
    );
  }

  const loadTrends = () =>
    Promise.all([
      guard(loadVelocity, $('#chart-velocity')),
      guard(loadTakedownsByPlatform, $('#takedowns-platform')),
      guard(loadPostsChart, $('#chart-posts')),
      guard(loadEventsChart, $('#chart-events')),
      guard(loadHydra, $('#hydra')),
      guard(() => loadDistribution('/api/v1/trends/time-to-takedown', $('#dist-takedown'), 'ttt'), $('#dist-takedown')),
      guard(() => loadDistribution('/api/v1/trends/resurfacing-delay', $('#dist-resurfacing'), 'delay'), $('#dist-resurfacing')),
    ]);

  // ---------------------------------------------------------------- view: channels and one channel's timeline

  async function loadChannels() {
    const body = await apiJson(`/api/v1/channels${query(['tag', 'source'], { limit: '1000' })}`);
    const rows = body.items.map((c) =>
      el(
        'tr',
        { class: 'clickable', tabindex: '0', dataset: { key: c._id }, 'data-testid': `channel-row-${c._id}`, onclick: () => loadTimeline(c) },
        el('td', { class: 'mono' }, c._id),
        el('td', { 'data-testid': `channel-platform-${c._id}` }, c.platform || ''),
        el('td', {}, statusBadge(c.status)),
        el(
          'td',
          {},
          (c.handles && c.handles.length ? c.handles : [c.handle])
            .filter(Boolean)
            .map((h) => (c.platform === 'telegram' || !c.platform ? `@${h}` : h))
            .join(', '),
        ),
        el('td', {}, c.title || ''),
        el('td', {}, fmtTime(c.firstSeenAt)),
        el('td', {}, fmtTime(c.removedAt)),
      ),
    );
    for (const r of rows) r.addEventListener('keydown', (e) => e.key === 'Enter' && r.click());
    setRows($('#channels-table tbody'), rows, 'No channels match the filters.', 7);
  }

  async function loadTimeline(channel) {
    const card = $('#timeline-card');
    card.classList.remove('hidden');
    for (const tr of document.querySelectorAll('#channels-table tr.selected')) tr.classList.remove('selected');
    const row = document.querySelector(`#channels-table tr[data-key="${CSS.escape(channel._id)}"]`);
    if (row) row.classList.add('selected');
    const shown = channel.handle ? (channel.platform && channel.platform !== 'telegram' ? channel.handle : `@${channel.handle}`) : channel._id;
    $('#timeline-title').textContent = `Timeline of ${shown} (${channel._id}${channel.platform ? `, ${channel.platform}` : ''})`;
    const box = $('#chart-timeline');
    box.dataset.channel = channel._id;
    try {
      const t = await apiJson(`/api/v1/channels/${encodeURIComponent(channel._id)}/timeline${query(['from', 'to'])}`);
      const days = t.postsPerDay
        .map((p) => p.day)
        .concat(t.markers.map((m) => m.at.slice(0, 10)))
        .sort();
      const labels = days.length ? daysBetween(days[0], days[days.length - 1]) : [];
      const perDay = Object.fromEntries(t.postsPerDay.map((p) => [p.day, p.posts]));
      const markers = t.markers.map((m) => ({
        type: m.type,
        at: m.at,
        day: m.at.slice(0, 10),
        channelKey: m.channelKey,
        position: labels.indexOf(m.at.slice(0, 10)) - 0.5 + dayFraction(m.at),
        color: MARKER_COLORS[m.type] || '#6b7280',
        label: markerLabel(m),
      }));
      const shown = markers.filter((m) => m.type !== 'first_seen');
      drawChart(
        'timeline',
        box,
        {
          type: 'bar',
          data: {
            labels,
            datasets: [
              dataset(
                'posts',
                labels.map((d) => perDay[d] || 0),
                0,
                'bar',
              ),
            ],
          },
          options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { markerLines: { markers: shown } } },
          plugins: [markerLines],
        },
        { channel: channel._id, markers: markers.map(({ type, at, day, channelKey }) => ({ type, at, day, channelKey })) },
      );
      $('#timeline-markers').replaceChildren(
        ...markers.map((m) =>
          el('li', { class: `marker marker-${cssToken(m.type)}`, dataset: { type: m.type } }, el('span', { class: 'mono' }, fmtTime(m.at)), ' ', m.label),
        ),
      );
    } catch (err) {
      handleError(err, $('#timeline-markers'));
    }
  }

  const dayFraction = (iso) => (Date.parse(iso) % 86400000) / 86400000;

  function markerLabel(m) {
    const d = m.data || {};
    if (m.type === 'removed') return `removed (${m.channelKey})`;
    if (m.type === 'resurfaced')
      return `resurfaced as ${d.successorHandle ? `@${d.successorHandle}` : m.channelKey}${typeof d.score === 'number' ? ` (score ${d.score})` : ''}`;
    if (m.type === 'first_seen') return `first seen (${m.channelKey})`;
    return `${m.type} (${m.channelKey})`;
  }

  // ---------------------------------------------------------------- view: lineage graph (own layered layout)

  /** Layer of each node = longest path from a root (chain position); rows keep the API's order inside a layer. */
  function layout(nodes, edges) {
    const layer = Object.fromEntries(nodes.map((n) => [n.id, 0]));
    for (let pass = 0; pass < nodes.length; pass++) {
      let changed = false;
      for (const e of edges) {
        if (layer[e.source] !== undefined && layer[e.target] !== undefined && layer[e.target] < layer[e.source] + 1) {
          layer[e.target] = layer[e.source] + 1;
          changed = true;
        }
      }
      if (!changed) break; // a cycle stops after nodes.length passes
    }
    const rows = {};
    const pos = {};
    for (const n of nodes) {
      const l = layer[n.id];
      rows[l] = (rows[l] || 0) + 1;
      pos[n.id] = { layer: l, row: rows[l] - 1 };
    }
    return { pos, layers: Math.max(0, ...Object.values(layer)) + 1, maxRows: Math.max(1, ...Object.values(rows)) };
  }

  function drawLineage(graph) {
    const NODE_W = 170;
    const NODE_H = 48;
    const GAP_X = 110;
    const GAP_Y = 30;
    const PAD = 20;
    const wrap = $('#lineage-graph');
    if (!graph.nodes.length) {
      wrap.replaceChildren(el('p', { class: 'empty' }, 'No resurfaced channels match the filters.'));
      return;
    }
    const { pos, layers, maxRows } = layout(graph.nodes, graph.edges);
    const width = PAD * 2 + layers * NODE_W + (layers - 1) * GAP_X;
    const height = PAD * 2 + maxRows * NODE_H + (maxRows - 1) * GAP_Y;
    const xy = (id) => ({ x: PAD + pos[id].layer * (NODE_W + GAP_X), y: PAD + pos[id].row * (NODE_H + GAP_Y) });
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'lineage graph', 'data-testid': 'lineage-svg' });
    const defs = svg('defs');
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }));
    defs.append(marker);
    root.append(defs);
    for (const e of graph.edges) {
      if (!pos[e.source] || !pos[e.target]) continue;
      const a = xy(e.source);
      const b = xy(e.target);
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x - 2;
      const y2 = b.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      const g = svg('g', { class: 'edge', 'data-source': e.source, 'data-target': e.target });
      g.append(svg('path', { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, class: 'edge-line', 'marker-end': 'url(#arrow)' }));
      g.append(svg('text', { x: mx, y: (y1 + y2) / 2 - 6, class: 'edge-label', 'text-anchor': 'middle' }, `score ${fmtNum(e.weight)}`));
      root.append(g);
    }
    for (const n of graph.nodes) {
      const { x, y } = xy(n.id);
      const g = svg('g', { class: `node status-${cssToken(n.status)}`, 'data-id': n.id, 'data-status': n.status });
      g.append(svg('title', {}, `${n.label} (${n.id}), ${n.status}${n.removedAt ? `, removed ${fmtTime(n.removedAt)}` : ''}`));
      g.append(svg('rect', { x, y, width: NODE_W, height: NODE_H, rx: 8, class: 'node-box' }));
      g.append(svg('text', { x: x + NODE_W / 2, y: y + 20, class: 'node-label', 'text-anchor': 'middle' }, clip(n.label, 22)));
      g.append(svg('text', { x: x + NODE_W / 2, y: y + 37, class: 'node-sub', 'text-anchor': 'middle' }, clip(`${n.id} · ${n.status}`, 28)));
      root.append(g);
    }
    wrap.replaceChildren(root);
  }

  const clip = (s, n) => (String(s).length > n ? `${String(s).slice(0, n - 1)}…` : String(s));

  async function loadLineage() {
    const g = await apiJson(`/api/v1/lineage${query(NO_LANG)}`);
    drawLineage(g);
    const label = Object.fromEntries(g.nodes.map((n) => [n.id, n.label]));
    const items = g.chains.map((c) => el('li', { 'data-testid': 'lineage-chain' }, c.map((id) => label[id] || id).join(' → ')));
    $('#lineage-chains').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'No chains.')]));
  }

  // ---------------------------------------------------------------- view: media clusters

  async function loadClusters() {
    const body = await apiJson(`/api/v1/trends/top-clusters${query(NO_LANG, { limit: '50' })}`);
    const rows = body.clusters.map((c) => {
      const btn = el('button', { type: 'button', class: 'secondary small', 'aria-expanded': 'false' }, 'Details');
      const tr = el(
        'tr',
        { dataset: { cluster: c.clusterId }, 'data-testid': `cluster-row-${c.clusterId}` },
        el('td', { class: 'mono' }, c.clusterId),
        el('td', {}, c.kind || ''),
        el('td', { class: 'num', 'data-testid': 'cluster-channels' }, c.channels),
        el('td', { class: 'num' }, c.sightings),
        el('td', { class: 'num' }, c.afterTakedown),
        el('td', {}, fmtTime(c.firstSeen)),
        el('td', {}, fmtTime(c.lastSeen)),
        el('td', {}, btn),
      );
      btn.addEventListener('click', () => toggleCluster(tr, btn, c.clusterId));
      return tr;
    });
    setRows($('#clusters-table tbody'), rows, 'No media clusters match the filters.', 8);
  }

  async function toggleCluster(tr, btn, id) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains('detail')) {
      next.remove();
      btn.setAttribute('aria-expanded', 'false');
      btn.textContent = 'Details';
      return;
    }
    const cell = el('td', { colspan: 8 }, el('p', { class: 'hint' }, 'Loading…'));
    tr.after(el('tr', { class: 'detail', 'data-testid': `cluster-detail-${id}` }, cell));
    btn.setAttribute('aria-expanded', 'true');
    btn.textContent = 'Hide';
    try {
      const d = await apiJson(`/api/v1/clusters/${encodeURIComponent(id)}`);
      cell.replaceChildren(clusterItems(id, d.items), clusterSightings(d.sightings));
    } catch (err) {
      handleError(err, cell);
    }
  }

  function clusterItems(id, items) {
    const head = el(
      'tr',
      {},
      ['Media', 'SHA-256', 'MD5', 'PDQ', 'Quality', 'Kind', 'Type', 'Size', 'Pixels', 'First seen'].map((h) => el('th', {}, h)),
    );
    const rows = items.map((it) =>
      el(
        'tr',
        { dataset: { sha256: it.sha256 || '' } },
        el('td', {}, it.thumbnail ? thumbnailCell(id, it.sha256) : el('span', { class: 'hint' }, 'hashes only')),
        el('td', { class: 'mono hash' }, it.sha256 || ''),
        el('td', { class: 'mono hash' }, it.md5 || ''),
        el('td', { class: 'mono hash' }, it.pdq || ''),
        el('td', { class: 'num' }, fmtNum(it.quality)),
        el('td', {}, it.kind || ''),
        el('td', {}, it.contentType || ''),
        el('td', { class: 'num' }, it.bytes ? `${it.bytes} B` : ''),
        el('td', {}, it.width && it.height ? `${it.width}×${it.height}` : it.frameCount ? `${it.frameCount} frames` : ''),
        el('td', {}, fmtTime(it.firstSeenAt)),
      ),
    );
    return el(
      'div',
      {},
      el('h4', {}, `Items (${items.length})`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'inner' }, el('thead', {}, head), el('tbody', {}, rows))),
    );
  }

  /** How a copy matched (issue 12), in words; the API sends the label, older servers only the value. */
  const VIA_LABELS = {
    new: 'first copy',
    exact: 'exact bytes',
    pdq: 'plain PDQ',
    'pdq-dihedral': 'rotated 90°/mirrored',
    trimmed: 'borders/letterbox trimmed',
    'caption-stripped': 'caption band removed',
    window: 'crop window',
    rotated: 'small rotation undone',
    video: 'same video',
    contains: 'contains a known clip',
    'contained-in': 'clip of a known video',
  };

  function clusterSightings(sightings) {
    const head = el(
      'tr',
      {},
      ['At', 'Channel', 'Post', 'Matched via', 'Distance', 'After takedown'].map((h) => el('th', {}, h)),
    );
    const rows = sightings.map((s) =>
      el(
        'tr',
        {},
        el('td', {}, fmtTime(s.at)),
        el('td', { class: 'mono' }, s.channelKey || ''),
        el('td', { class: 'mono' }, s.postKey || ''),
        el('td', { title: s.matchedVia || '' }, s.matchedVia ? `${s.matchedVia} (${s.matchedViaLabel || VIA_LABELS[s.matchedVia] || ''})` : ''),
        el('td', { class: 'num' }, fmtNum(s.distance)),
        el('td', {}, s.afterOriginRemoved ? 'yes' : 'no'),
      ),
    );
    return el(
      'div',
      {},
      el('h4', {}, `Sightings (${sightings.length})`),
      el('div', { class: 'table-wrap' }, el('table', { class: 'inner' }, el('thead', {}, head), el('tbody', {}, rows))),
    );
  }

  /** Thumbnails are fetched with the token as blobs: blurred by the server unless the analyst asks to reveal. */
  function thumbnailCell(id, sha) {
    const img = el('img', { class: 'thumb', alt: 'thumbnail (blurred)' });
    const reveal = el('button', { type: 'button', class: 'secondary small' }, 'Reveal');
    const load = async (revealed) => {
      try {
        const res = await apiFetch(`/api/v1/clusters/${encodeURIComponent(id)}/items/${encodeURIComponent(sha)}/thumbnail?reveal=${revealed}`);
        const url = URL.createObjectURL(await res.blob());
        if (img.src) revoke(img.src);
        state.blobUrls.add(url);
        img.src = url;
        img.alt = revealed ? 'thumbnail' : 'thumbnail (blurred)';
        if (revealed) reveal.remove();
      } catch (err) {
        handleError(err);
      }
    };
    reveal.addEventListener('click', () => load(true));
    load(false);
    return el('div', { class: 'thumb-cell' }, img, reveal);
  }

  function revoke(url) {
    URL.revokeObjectURL(url);
    state.blobUrls.delete(url);
  }

  // ---------------------------------------------------------------- view: one resurfacing (the alert's details)

  async function loadResurfacing() {
    const id = readResurfacingId();
    const section = $('#view-resurfacing');
    section.classList.toggle('hidden', !id);
    if (!id) return;
    const box = $('#resurfacing');
    const r = (await apiJson(`/api/v1/resurfacings/${encodeURIComponent(id)}`)).resurfacing;
    const channel = (c, extra) =>
      el(
        'span',
        {},
        el('span', { class: 'mono' }, `@${c.handle}`),
        ` (${c.key}) `,
        c.title ? `“${c.title}” ` : '',
        c.status ? el('span', { class: `badge status-${cssToken(c.status)}` }, c.status) : '',
        extra || '',
      );
    const pairs = [
      ['Removed channel', channel(r.predecessor, r.predecessor.removedAt ? ` removed ${fmtTime(r.predecessor.removedAt)}` : '')],
      ['Successor', channel(r.successor, r.successor.firstPostAt ? ` first post ${fmtTime(r.successor.firstPostAt)}` : '')],
      ['Score', String(r.score)],
      ['Found via', r.foundVia.map((o) => (o === 'predecessor_description' ? "named in the predecessor's description" : o)).join(', ')],
      ['Reported', fmtTime(r.at)],
      ['Lineage', r.lineage.join(' → ')],
    ];
    const facts = el('dl', { class: 'numbers', 'data-testid': 'resurfacing-facts' }, ...pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const signals = el(
      'table',
      { 'data-testid': 'resurfacing-signals' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Signal'), el('th', {}, 'Value'))),
      el('tbody', {}, ...Object.entries(r.signals).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { class: 'mono' }, v.toFixed(3))))),
    );
    const media = el(
      'table',
      { 'data-testid': 'resurfacing-media' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Cluster'), el('th', {}, 'SHA-256'), el('th', {}, 'PDQ'))),
      el(
        'tbody',
        {},
        ...r.sharedMedia.flatMap((c) =>
          c.items.map((it) =>
            el('tr', {}, el('td', { class: 'mono' }, c.clusterId), el('td', { class: 'mono hash' }, it.sha256), el('td', { class: 'mono hash' }, it.pdq || '')),
          ),
        ),
      ),
    );
    box.replaceChildren(
      facts,
      el('h3', {}, 'Signals'),
      signals,
      el('h3', {}, 'Shared media (hashes only, never the media)'),
      r.sharedMedia.length ? media : el('p', { class: 'hint' }, 'No shared media.'),
    );
    section.scrollIntoView({ block: 'start' });
  }

  // ---------------------------------------------------------------- views: alerts, watch list, exports

  async function loadAlerts() {
    const body = await apiJson(`/api/v1/alerts${query(NO_LANG, { limit: '200' })}`);
    const rows = body.items.map((a) =>
      el(
        'tr',
        { dataset: { id: a._id } },
        el('td', {}, a.kind || ''),
        el('td', {}, a.subject || ''),
        el('td', { class: 'mono' }, Array.isArray(a.channels) ? a.channels.join(', ') : ''),
        el('td', {}, Array.isArray(a.to) ? a.to.join(', ') : a.to || ''),
        el('td', {}, el('span', { class: `badge alert-${cssToken(a.status || '')}` }, a.status || '')),
        el('td', {}, fmtTime(a.createdAt)),
        el('td', {}, fmtTime(a.sentAt)),
      ),
    );
    setRows($('#alerts-table tbody'), rows, 'No alerts match the filters.', 7);
  }

  /** POSTs a case step with the token; the answer's message shows in the banner on failure. */
  async function caseStep(id, step) {
    const res = await fetch(`/api/v1/reports/cases/${encodeURIComponent(id)}/${step}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new ApiError(res.status, body.message || body.error || res.statusText);
    }
    await loadReports();
  }

  /** Opens a case's printable pack (fetched with the token, shown from a blob URL). */
  async function openPack(id, variant) {
    const res = await apiFetch(`/api/v1/reports/cases/${encodeURIComponent(id)}/pack?format=html&variant=${variant}`);
    const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  /** Opens a case (or merges into the open one of its target) from the form; the answer says which. */
  async function openCaseFromForm(form) {
    const kind = form.elements.kind.value;
    const body = { [kind]: form.elements.target.value.trim() };
    const note = form.elements.note.value.trim();
    if (note) body.note = note;
    const res = await fetch('/api/v1/reports/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${state.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) throw new ApiError(res.status, answer.message || answer.error || res.statusText);
    const said = { created: 'opened', merged: 'merged into the open case', unchanged: 'already in the open case' };
    $('#open-case-result').textContent = `${said[answer.outcome] || answer.outcome}: ${answer.case._id}`;
    form.reset();
    await loadReports();
  }

  const CASE_ACTIONS = {
    draft: ['approve', 'withdraw'],
    approved: ['send', 'withdraw'],
    sent: ['withdraw'],
    sent_manually: ['withdraw'],
    still_online: ['approve', 'withdraw'],
  };

  async function loadReports() {
    const body = await apiJson('/api/v1/reports/cases');
    const rows = body.items.map((c) => {
      const action = (step) =>
        el(
          'button',
          { type: 'button', class: 'secondary', 'data-testid': `case-${step}`, onclick: () => caseStep(c._id, step).catch((err) => handleError(err)) },
          step,
        );
      const steps = c.state === 'approved' && c.sending ? ['withdraw'] : CASE_ACTIONS[c.state] || [];
      const packs = ['platform', 'dsa'].map((v) =>
        el(
          'button',
          { type: 'button', class: 'link-button', onclick: () => openPack(c._id, v).catch((err) => handleError(err)) },
          v === 'dsa' ? 'DSA notice' : 'pack',
        ),
      );
      return el(
        'tr',
        { dataset: { id: c._id } },
        el('td', { class: 'mono' }, c._id),
        el('td', {}, el('span', { class: `badge case-${cssToken(c.state)}` }, c.sending && c.state === 'approved' ? 'approved (mail queued)' : c.state)),
        el('td', {}, c.platform),
        el('td', {}, c.kind),
        el('td', { class: 'mono' }, (c.targets || []).map((t) => t.url).join(' ')),
        el('td', {}, fmtTime(c.updatedAt)),
        el('td', {}, ...steps.map(action), ...packs),
      );
    });
    setRows($('#reports-table tbody'), rows, 'No report cases.', 7);
  }

  const PERIOD = ['from', 'to'];
  /** Hours, or seconds / minutes under 6 minutes (a demo's platform acts within seconds: 0.00 h would hide it). */
  const fmtHours = (h) => {
    if (typeof h !== 'number' || !(h > 0) || h >= 0.1) return fmtNum(h);
    const s = h * 3600;
    return s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`;
  };
  const fmtSpan = (sp) => (sp && sp.count ? `${fmtHours(sp.p50Hours)} / ${fmtHours(sp.p90Hours)} (n=${sp.count})` : '–');

  /** The per-platform scorecard of the cases opened in the filtered period (tags, sources and languages do not apply). */
  async function loadScorecard() {
    const s = await apiJson(`/api/v1/reports/scorecard${query(PERIOD)}`);
    $('#scorecard-period').textContent = `Cases opened ${s.from} to ${s.to}${s.truncated ? ' (truncated: the period holds more cases than were read)' : ''}.`;
    const rows = s.platforms.map((p) =>
      el(
        'tr',
        { dataset: { platform: p.platform } },
        el('td', {}, p.platform),
        el('td', {}, String(p.opened)),
        el('td', {}, String(p.reported)),
        el('td', {}, String(p.offline)),
        el('td', {}, p.offlinePct === undefined ? '–' : `${p.offlinePct}%`),
        el('td', {}, String(p.stillOnlineTargets.length)),
        el('td', {}, fmtSpan(p.reportToOffline)),
        el('td', {}, fmtSpan(p.firstSeenToOffline)),
        el('td', {}, p.viewsGained.targets ? `${p.viewsGained.total} over ${p.viewsGained.targets} targets` : '–'),
      ),
    );
    setRows($('#scorecard-table tbody'), rows, 'No report cases were opened in the period.', 9);
    const online = s.platforms.flatMap((p) =>
      p.stillOnlineTargets.map((t) =>
        el(
          'tr',
          {},
          el('td', {}, p.platform),
          el('td', { class: 'mono' }, t.caseId),
          el('td', { class: 'mono' }, t.url),
          el('td', {}, fmtTime(t.reportedAt)),
          el('td', {}, fmtHours(t.hoursSinceReport)),
          el('td', {}, t.ticket || ''),
        ),
      ),
    );
    setRows($('#still-online-table tbody'), online, 'Every reported target is offline.', 6);
  }

  function buildScorecardExports() {
    const files = [
      ['scorecard', 'csv', 'CSV'],
      ['scorecard', 'json', 'JSON'],
      ['transparency', 'html', 'Transparency report (HTML)'],
      ['transparency', 'md', 'Transparency report (Markdown)'],
    ];
    const buttons = files.map(([route, format, label]) =>
      el(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'data-testid': `${route}-${format}`,
          onclick: () => download(`/api/v1/reports/${route}${query(PERIOD, { format })}`, `hydrawatch-${route}.${format}`),
        },
        label,
      ),
    );
    $('#scorecard-exports').append(el('div', { class: 'export-row' }, el('span', { class: 'export-kind' }, 'download'), buttons));
  }

  async function loadWatchlist() {
    const body = await apiJson('/api/v1/sources');
    const row = (s, origin) =>
      el(
        'tr',
        { dataset: { id: s.id || '' } },
        el('td', { class: 'mono' }, s.id || ''),
        el('td', {}, s.platform || ''),
        el('td', { class: 'mono' }, s.handle ? `@${s.handle}` : s.url || ''),
        el('td', { class: 'mono' }, s.schedule || ''),
        el('td', {}, (s.tags || []).join(', ')),
        el('td', {}, s.language || ''),
        el('td', {}, origin),
      );
    const rows = body.sources
      .map((s) => row(s, 'sources.yaml'))
      .concat(body.auto.map((a) => row(Object.assign({ id: a._id }, a.source || {}), `auto: successor of ${a.predecessor || '?'} (${fmtTime(a.addedAt)})`)));
    setRows($('#sources-table tbody'), rows, 'The watch list is empty.', 7);
    const errs = $('#config-errors');
    errs.replaceChildren(...body.configErrors.map((e) => el('li', {}, e)));
    errs.classList.toggle('hidden', !body.configErrors.length);
    fillDatalists(body);
  }

  function fillDatalists(body) {
    const all = body.sources.concat(body.auto.map((a) => Object.assign({ id: a._id }, a.source || {})));
    const tags = [...new Set(all.flatMap((s) => s.tags || []))].sort();
    $('#tag-list').replaceChildren(...tags.map((t) => el('option', { value: t })));
    $('#source-list').replaceChildren(...all.map((s) => el('option', { value: s.id || '' })));
  }

  function buildExports() {
    const box = $('#exports');
    for (const kind of ['posts', 'events', 'sightings', 'alerts']) {
      const buttons = ['csv', 'ndjson'].map((format) =>
        el(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-testid': `export-${kind}-${format}`,
            onclick: () => download(`/api/v1/export/${kind}${query(kind === 'posts' ? ALL : NO_LANG, { format })}`, `hydrawatch-${kind}.${format}`),
          },
          format.toUpperCase(),
        ),
      );
      box.append(el('div', { class: 'export-row' }, el('span', { class: 'export-kind' }, kind), buttons));
    }
  }

  // ---------------------------------------------------------------- wiring

  /** Runs one loader; its failure shows in its own place and in the banner, and does not stop the others. */
  async function guard(fn, where) {
    try {
      await fn();
    } catch (err) {
      handleError(err, where);
    }
  }

  async function loadAll() {
    const app = $('#app');
    app.dataset.state = 'loading';
    hideBanner();
    $('#timeline-card').classList.add('hidden');
    await Promise.all([
      loadTrends(),
      guard(loadChannels, $('#channels-table tbody')),
      guard(loadLineage, $('#lineage-graph')),
      guard(loadClusters, $('#clusters-table tbody')),
      guard(loadAlerts, $('#alerts-table tbody')),
      guard(loadWatchlist, $('#sources-table tbody')),
      guard(loadReports, $('#reports-table tbody')),
      guard(loadScorecard, $('#scorecard-table tbody')),
      guard(loadResurfacing, $('#resurfacing')),
    ]);
    app.dataset.state = 'ready';
  }

  function start() {
    state.token = readToken();
    buildExports();
    buildScorecardExports();
    $('#filters').addEventListener('submit', (e) => {
      e.preventDefault();
      loadAll();
    });
    $('#filters').addEventListener('reset', () => setTimeout(loadAll, 0));
    $('#open-case').addEventListener('submit', (e) => {
      e.preventDefault();
      $('#open-case-result').textContent = '';
      openCaseFromForm(e.target).catch((err) => handleError(err));
    });
    $('#posts-by').addEventListener('change', () => guard(loadPostsChart, $('#chart-posts')));
    $('#token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      state.token = $('#token-input').value.trim();
      $('#token-input').value = '';
      sessionStorage.setItem(TOKEN_KEY, state.token);
      showTokenForm(false);
      loadAll();
    });
    $('#change-token').addEventListener('click', () => showTokenForm(true));
    window.addEventListener('hashchange', () => guard(loadResurfacing, $('#resurfacing')));
    $('#gexf-lineage').addEventListener('click', () => download(`/api/v1/lineage${query(NO_LANG, { format: 'gexf' })}`, 'hydrawatch-lineage.gexf'));
    $('#gexf-network').addEventListener('click', () => download(`/api/v1/network${query(ALL, { format: 'gexf' })}`, 'hydrawatch-network.gexf'));
    for (const b of document.querySelectorAll('#tabs button')) {
      b.addEventListener('click', () => document.getElementById(`view-${b.dataset.view}`).scrollIntoView({ behavior: 'smooth', block: 'start' }));
    }
    if (!window.Chart) showBanner('Chart.js did not load (chart.umd.js); charts are unavailable.', 'error');
    if (!state.token) {
      showTokenForm(true);
      showBanner('Paste an API token to load the dashboard.', 'info');
      return;
    }
    loadAll();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
