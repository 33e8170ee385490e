/**
 * The app's one chart drawer (Chart.js 4, MIT, canvas; chosen for its small tree-shaken core),
 * imported only by `$lib/components/Chart.svelte`, dynamically, in the browser, after the page:
 * it is its own chunk with Chart.js (vite.config.ts keeps `src/lib/charts/` and Chart.js out of
 * the shared chunks), so a page without a chart never loads it. It registers only what bar and
 * line charts need (no pie, radar, tooltip or animation code). Every chart stands beside a table
 * holding the same numbers; the chart is hidden from assistive technologies.
 */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement
} from 'chart.js';
import type { ChartSpec } from './spec';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend);

/** Distinct colours with at least 4.5:1 contrast on white; a dashed grey for reference lines. */
const COLORS = ['#1d5c3a', '#8a4b00', '#0b57d0', '#a1205f', '#5b3fa8', '#00707a', '#6b5d00', '#b3261e'];
const REFERENCE = '#595959';

/** Draws `spec` on `canvas`; the caller destroys the returned chart when the component goes. */
export function drawChart(canvas: HTMLCanvasElement, { type, labels, datasets, legend }: ChartSpec): Chart {
	let n = 0;
	return new Chart(canvas, {
		type,
		data: {
			labels,
			datasets: datasets.map((d) => {
				const color = d.reference ? REFERENCE : COLORS[n++ % COLORS.length];
				return {
					label: d.label,
					data: d.values,
					backgroundColor: color,
					borderColor: color,
					borderDash: d.reference ? [6, 4] : undefined,
					borderWidth: 2,
					pointRadius: d.reference ? 0 : 3,
					spanGaps: type === 'line' && !d.stopAtGaps
				};
			})
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			locale: 'fr-FR',
			events: [],
			plugins: { legend: { display: legend ?? datasets.length > 1 } },
			scales: { y: { beginAtZero: true } }
		}
	});
}
