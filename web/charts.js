// charts.js: bar and stacked column charts as inline SVG (no chart library).  Colours
// come from CSS classes (style.css), so the charts follow the page's palette.
const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...kids) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
  for (const kid of kids) if (kid !== null && kid !== undefined) el.append(kid);
  return el;
}

// A round step for an axis from 0 to max: 1, 2 or 5 times a power of ten.
function step(max, ticks) {
  const raw = max / ticks, p = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  return [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw) || p;
}

// Horizontal bars: rows [{label, value, href?, cls?}].  Bars with href are links.
export function barChart(rows, title) {
  const W = 560, row = 26, left = 210, right = 50, H = rows.length * row + 10;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'svgchart' }, s('title', {}, title));
  rows.forEach((r, i) => {
    const y = 5 + i * row, w = ((W - left - right) * r.value) / max;
    const g = s('g', { class: 'bar ' + (r.cls || '') },
      s('text', { x: left - 8, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'label' },
        r.label.length > 30 ? r.label.slice(0, 29) + '…' : r.label, s('title', {}, r.label)),
      s('rect', { x: left, y: y + 3, width: Math.max(1, w), height: row - 8, rx: 2 }),
      s('text', { x: left + w + 6, y: y + row / 2 + 4, class: 'value' }, String(r.value)));
    svg.append(r.href ? s('a', { href: r.href }, g) : g);
  });
  return svg;
}

// Stacked columns: cols [{label, parts: [{key, label, value, cls}]}], with a legend.
export function columnChart(cols, title) {
  const W = 560, H = 280, left = 44, bottom = 28, top = 10, legendH = 22;
  const keys = [];
  for (const c of cols) for (const p of c.parts) if (p.value && !keys.find((k) => k.key === p.key)) keys.push(p);
  const max = Math.max(1, ...cols.map((c) => c.parts.reduce((a, p) => a + p.value, 0)));
  const st = step(max, 4), top_ = Math.ceil(max / st) * st;
  const legendRows = Math.ceil(keys.length / 4);
  const plotH = H - bottom - top, full = H + legendRows * legendH;
  const svg = s('svg', { viewBox: `0 0 ${W} ${full}`, role: 'img', 'aria-label': title, class: 'svgchart' }, s('title', {}, title));
  for (let v = 0; v <= top_; v += st) {
    const y = top + plotH - (plotH * v) / top_;
    svg.append(s('line', { x1: left, x2: W - 8, y1: y, y2: y, class: 'grid' }),
      s('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' }, String(v)));
  }
  const slot = (W - left - 8) / Math.max(1, cols.length), bw = Math.min(48, slot * 0.7);
  cols.forEach((c, i) => {
    const x = left + i * slot + (slot - bw) / 2;
    let y = top + plotH;
    for (const p of c.parts) {
      if (!p.value) continue;
      const h = (plotH * p.value) / top_;
      y -= h;
      svg.append(s('rect', { x, y, width: bw, height: h, class: 'seg ' + p.cls }, s('title', {}, `${c.label} · ${p.label}: ${p.value}`)));
    }
    svg.append(s('text', { x: x + bw / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis' }, c.label));
  });
  keys.forEach((k, i) => {
    const x = left + (i % 4) * 128, y = H + Math.floor(i / 4) * legendH + 6;
    svg.append(s('rect', { x, y, width: 12, height: 12, class: 'seg ' + k.cls }),
      s('text', { x: x + 17, y: y + 11, class: 'label' }, k.label));
  });
  return svg;
}
