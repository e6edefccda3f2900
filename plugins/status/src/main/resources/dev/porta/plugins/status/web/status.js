// The status pages: fetch their JSON every second and redraw. No library, nothing from outside this server.
'use strict';

const COLORS = ['#8c959f', '#1a7f37', '#0969da', '#d4a72c', '#cf222e', '#6e7781'];

function text(value) {
  return document.createTextNode(value === undefined || value === null ? '' : String(value));
}

function row(table, cells, numeric) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => {
    const td = document.createElement('td');
    if (numeric && numeric.includes(i)) td.className = 'num';
    td.appendChild(text(c));
    tr.appendChild(td);
  });
  table.appendChild(tr);
  return tr;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function duration(s) {
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + 'd ' : '') + (h ? h + 'h ' : '') + m + 'm ' + (s % 60) + 's';
}

function fill(id, rows, numeric) {
  const table = document.getElementById(id);
  table.replaceChildren();
  rows.forEach(r => row(table, r, numeric));
}

function drawChart(canvas, buckets, seconds, classes) {
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const totals = buckets.map(b => b.reduce((a, c) => a + c, 0) / seconds);
  const max = Math.max(1, ...totals);
  const bw = w / buckets.length;
  buckets.forEach((b, i) => {
    let y = h;
    b.forEach((count, c) => {
      const bh = (count / seconds) / max * (h - 20);
      ctx.fillStyle = COLORS[c];
      ctx.fillRect(i * bw, y - bh, Math.max(1, bw - 1), bh);
      y -= bh;
    });
  });
  ctx.fillStyle = '#5b6577';
  ctx.font = '12px sans-serif';
  ctx.fillText('max ' + max.toFixed(1) + ' req/s', 4, 12);
  const legend = document.getElementById('legend');
  legend.replaceChildren();
  classes.forEach((name, c) => {
    const span = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = COLORS[c];
    span.appendChild(swatch);
    span.appendChild(text(name));
    legend.appendChild(span);
  });
}

async function refreshStatus() {
  const s = await (await fetch('status.json', {cache: 'no-store'})).json();
  document.getElementById('summary').textContent =
    'Porta ' + s.version + ' · ' + s.state.toLowerCase() + ' · up ' + duration(s.uptimeSeconds);
  document.getElementById('requests').textContent = s.requests;
  const last = s.rates[s.rates.length - 1] || [];
  document.getElementById('rate').textContent = (last.reduce((a, c) => a + c, 0) / s.bucketSeconds).toFixed(1);
  document.getElementById('bytes').textContent = bytes(s.bytes);
  document.getElementById('connections').textContent = s.connections.open + ' / ' + s.connections.active + ' / ' + s.connections.idle;
  document.getElementById('latency').textContent =
    s.latencyMs.p50.toFixed(1) + ' / ' + s.latencyMs.p90.toFixed(1) + ' / ' + s.latencyMs.p99.toFixed(1) + ' ms';
  document.getElementById('byClass').textContent =
    Object.entries(s.byClass).filter(e => e[1] > 0).map(e => e[0] + ': ' + e[1]).join('  ') || '–';
  drawChart(document.getElementById('chart'), s.rates, s.bucketSeconds, Object.keys(s.byClass));
  fill('topPaths', s.topPaths.map(e => [e.key, e.count]), [1]);
  fill('topClients', s.topClients.map(e => [e.key, e.count]), [1]);
  fill('top404', s.top404.map(e => [e.key, e.count]), [1]);
  fill('errors', s.errors.map(r => [r.time.replace('T', ' ').substring(0, 19), r.client, r.method, r.path, r.status, r.plugin]));
  fill('plugins', s.plugins.map(p => [p.id, p.version]));
  document.getElementById('chain').textContent = s.chain.length ? s.chain.join(' → ') : '(no handler)';
}

async function refreshRequests() {
  const form = document.getElementById('filters');
  const query = new URLSearchParams(new FormData(form)).toString();
  const data = await (await fetch('requests.json?' + query, {cache: 'no-store'})).json();
  const body = document.querySelector('#requests tbody');
  body.replaceChildren();
  data.requests.forEach(r => {
    const tr = row(body, [r.time.replace('T', ' ').substring(0, 23), r.client, r.user, r.method, r.path, r.status, r.durationMs.toFixed(2), r.bytes, r.plugin], [6, 7]);
    tr.children[5].className = 's' + String(r.status).charAt(0);
  });
  document.getElementById('summary').textContent =
    data.requests.length + ' shown, newest first (the last ' + data.capacity + ' are kept)';
}

function every(ms, task) {
  const run = () => task().catch(e => {
    document.getElementById('summary').textContent = 'cannot reach Porta: ' + e.message;
  }).finally(() => setTimeout(run, ms));
  run();
}

if (document.body.dataset.page === 'status') {
  every(1000, refreshStatus);
} else {
  every(1000, refreshRequests);
  document.getElementById('filters').addEventListener('input', () => refreshRequests().catch(() => {}));
  document.getElementById('filters').addEventListener('submit', e => e.preventDefault());
}
