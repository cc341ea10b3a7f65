// /reports: the projections service's reports (docs/projections.md, "Reports"), each as of a moment,
// drawn as a simple chart (inline SVG, no chart library) with its rows as a table beside it;
// docs/console.md says what the page shows.
import { useState } from 'preact/hooks';
import { Field, Heading, html, KEY, Loading, money, problemText, useId, useResource } from '../ui.js';

/** The reports, what each is called here, and how each is drawn. */
const REPORTS = [
  { name: 'cancellations', label: 'Cancellations by reason and day' },
  { name: 'continuity', label: 'Continuity: purchases by status and cycle' },
  { name: 'projected-billing', label: 'Projected billing, next 30 days' },
  { name: 'retention', label: 'Retention by start month' },
  { name: 'chargebacks', label: 'Chargebacks per day' },
  { name: 'agent-actions', label: 'Customer-service actions per agent' },
];

/** The report's path on the projections service: an "As of" date is the end of that day (UTC). */
const reportPath = (name, asOf, format) => {
  const query = new URLSearchParams();
  if (asOf) query.set('asOf', asOf);
  if (format) query.set('format', format);
  const text = query.toString();
  return `/reports/${name}${text ? `?${text}` : ''}`;
};

export function ReportsPage({ query }) {
  const first = REPORTS.some((report) => report.name === query?.get('report')) ? query.get('report') : REPORTS[0].name;
  const [name, setName] = useState(first);
  const [asOf, setAsOf] = useState(query?.get('asOf') ?? '');
  const selectId = useId('report');
  const path = reportPath(name, asOf);
  const resource = useResource('projections', path);
  const label = REPORTS.find((report) => report.name === name).label;
  return html`<${Heading}>Reports</${Heading}>
    <p class="muted">Counted from every service's events. Leave "As of" empty for now, or pick a day to see the report as it stood at its end (UTC).</p>
    <div class="controls" style="display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-bottom: 1rem">
      <span class="field">
        <label for=${selectId}>Report</label>
        <select id=${selectId} value=${name} onChange=${(event) => setName(event.currentTarget.value)}>
          ${REPORTS.map((report) => html`<option key=${report.name} value=${report.name}>${report.label}</option>`)}
        </select>
      </span>
      <${Field} label="As of" type="date" value=${asOf} onInput=${setAsOf} />
      <${DownloadCsv} name=${name} asOf=${asOf} />
    </div>
    <section class="card" aria-label=${label}>
      <${Loading} resource=${resource} what=${`the report ${label}`}>
        ${(report) => html`<${ReportView} key=${report.report} report=${report} />`}
      </${Loading}>
    </section>`;
}

/** "Download CSV": the same report as CSV, fetched with the user's key (a plain link would carry none) and saved. */
function DownloadCsv({ name, asOf }) {
  const [error, setError] = useState(null);
  const href = `/api/projections${reportPath(name, asOf, 'csv')}`;
  const download = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      const res = await fetch(href, { headers: { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`, accept: 'text/csv' } });
      if (!res.ok) {
        const text = await res.text();
        let body = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: said as it is
        }
        setError(problemText({ status: res.status, body }));
        return;
      }
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `${name}-${asOf || 'now'}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch {
      setError(problemText({ network: true }));
    }
  };
  return html`<span class="field">
    <a href=${href} onClick=${download}>Download CSV</a>
    ${error ? html`<span role="alert" class="error">Download failed: ${error}</span>` : null}
  </span>`;
}

/** The chart a person would rather look at, then every row as a table (what the chart says, for anyone who cannot see it). */
function ReportView({ report }) {
  // drawn from what the answer says it is (while the next report loads, the last answer stays on screen)
  const name = report.report;
  const label = REPORTS.find((candidate) => candidate.name === name)?.label ?? name;
  const chart = chartOf(name, report.rows);
  const window = report.from || report.to ? ` · rows ${report.from ?? '…'} to ${report.to ?? '…'}` : '';
  return html`<h2>${label}</h2>
    <p class="muted">As of ${report.asOf}${window}</p>
    ${report.rows.length === 0 ? html`<p>Nothing to report for this moment.</p>` : chart}
    <${RowsTable} label=${label} report=${report} />`;
}

function RowsTable({ label, report }) {
  return html`<table>
    <caption class="muted">${label}: the rows</caption>
    <thead><tr>${report.columns.map((column) => html`<th scope="col" key=${column}>${column}</th>`)}</tr></thead>
    <tbody>
      ${report.rows.map((row, index) => html`<tr key=${index}>${report.columns.map((column) => html`<td key=${column}>${cellText(column, row)}</td>`)}</tr>`)}
    </tbody>
  </table>`;
}

const cellText = (column, row) => {
  if (column === 'amount' || column === 'revertedAmount') return money(row[column], row.currency ?? 'USD');
  if (column === 'share') return `${Math.round(row[column] * 1000) / 10}%`;
  return String(row[column]);
};

/** Sums of `value(row)` per `label(row)`, in the order labels first appear. */
const sumBy = (rows, label, value) => {
  const sums = new Map();
  for (const row of rows) sums.set(label(row), (sums.get(label(row)) ?? 0) + value(row));
  return [...sums].map(([text, total]) => ({ label: text, value: total }));
};

function chartOf(name, rows) {
  switch (name) {
    case 'cancellations':
      return html`<${BarChart} title="Cancellations per day (orders and subscriptions, every reason)" bars=${sumBy(rows, (row) => row.day, (row) => row.count)} />`;
    case 'continuity':
      return html`<${BarChart} title="Purchases per status and billing cycle" bars=${rows.map((row) => ({ label: `${row.status} c${row.cycle}`, value: row.purchases }))} />`;
    case 'projected-billing':
      return html`<${BarChart} title="Amount due per bill date" bars=${sumBy(rows, (row) => row.date, (row) => row.amount)} format=${(value) => money(value)} />`;
    case 'retention':
      return html`<${LineChart}
        title="Share of the purchases started in each month that reached each billing cycle"
        series=${sumBy(rows, (row) => row.startMonth, () => 0).map(({ label }) => ({ name: label, points: rows.filter((row) => row.startMonth === label).map((row) => ({ x: row.cycle, y: row.share })) }))}
      />`;
    case 'chargebacks':
      return html`<${BarChart} title="Chargebacks marked per day (every reason)" bars=${sumBy(rows, (row) => row.day, (row) => row.count)} />`;
    case 'agent-actions':
      return html`<${BarChart} title="Actions per agent (every kind)" bars=${sumBy(rows, (row) => row.agent, (row) => row.count)} />`;
    default:
      return null;
  }
}

/** Vertical bars with their values; the SVG is an image named by its title, its description says the values. */
function BarChart({ title, bars, format = String }) {
  const titleId = useId('chart-title');
  const descId = useId('chart-desc');
  const [width, height, pad] = [Math.max(320, bars.length * 48), 200, 24];
  const top = Math.max(1, ...bars.map((bar) => bar.value));
  const step = (width - 2 * pad) / Math.max(1, bars.length);
  return html`<figure class="chart">
    <svg role="img" aria-labelledby=${`${titleId} ${descId}`} viewBox=${`0 0 ${width} ${height + 40}`} width=${width} height=${height + 40}>
      <title id=${titleId}>${title}</title>
      <desc id=${descId}>${bars.map((bar) => `${bar.label}: ${format(bar.value)}`).join('; ')}</desc>
      <line x1=${pad} y1=${height} x2=${width - pad} y2=${height} stroke="currentColor" />
      ${bars.map((bar, index) => {
        const h = Math.max(0, (bar.value / top) * (height - pad));
        const x = pad + index * step + step * 0.15;
        return html`<g key=${bar.label}>
          <rect x=${x} y=${height - h} width=${step * 0.7} height=${h} fill="#3b6ea5" />
          <text x=${x + step * 0.35} y=${height - h - 4} text-anchor="middle" font-size="11">${format(bar.value)}</text>
          <text x=${x + step * 0.35} y=${height + 14} text-anchor="middle" font-size="10">${bar.label}</text>
        </g>`;
      })}
    </svg>
    <figcaption>${title}</figcaption>
  </figure>`;
}

const COLOURS = ['#3b6ea5', '#b5542a', '#2e7d4f', '#7a4ea3', '#8a6d1f', '#444'];

/** Lines of shares (0..1) over billing cycles, one per series, with a legend in words. */
function LineChart({ title, series }) {
  const titleId = useId('chart-title');
  const descId = useId('chart-desc');
  const [width, height, pad] = [420, 200, 28];
  const last = Math.max(2, ...series.flatMap((line) => line.points.map((point) => point.x)));
  const x = (cycle) => pad + ((cycle - 1) / (last - 1)) * (width - 2 * pad);
  const y = (share) => height - share * (height - pad);
  const percent = (share) => `${Math.round(share * 1000) / 10}%`;
  return html`<figure class="chart">
    <svg role="img" aria-labelledby=${`${titleId} ${descId}`} viewBox=${`0 0 ${width} ${height + 30}`} width=${width} height=${height + 30}>
      <title id=${titleId}>${title}</title>
      <desc id=${descId}>${series.map((line) => `${line.name}: ${line.points.map((point) => `cycle ${point.x} ${percent(point.y)}`).join(', ')}`).join('; ')}</desc>
      <line x1=${pad} y1=${height} x2=${width - pad} y2=${height} stroke="currentColor" />
      <line x1=${pad} y1=${pad} x2=${pad} y2=${height} stroke="currentColor" />
      <text x="2" y=${pad + 4} font-size="10">100%</text>
      ${Array.from({ length: last }, (_, index) => html`<text key=${index} x=${x(index + 1)} y=${height + 14} text-anchor="middle" font-size="10">c${index + 1}</text>`)}
      ${series.map(
        (line, index) => html`<g key=${line.name}>
          <polyline fill="none" stroke=${COLOURS[index % COLOURS.length]} stroke-width="2" points=${line.points.map((point) => `${x(point.x)},${y(point.y)}`).join(' ')} />
          ${line.points.map((point) => html`<circle key=${point.x} cx=${x(point.x)} cy=${y(point.y)} r="3" fill=${COLOURS[index % COLOURS.length]} />`)}
        </g>`,
      )}
    </svg>
    <figcaption>
      ${title}: ${series.map((line, index) => html`<span key=${line.name} style=${`color: ${COLOURS[index % COLOURS.length]}`}>■ ${line.name} </span>`)}
    </figcaption>
  </figure>`;
}
