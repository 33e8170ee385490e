/**
 * The trend charts of /impact/tendances, drawn only in the browser. Imported dynamically (its own
 * chunk, after the page), registering only what grouped bars need from Chart.js (tree-shaken:
 * no line, pie or radar code). The table beside each chart holds the same numbers. It lives beside
 * the route, not in src/lib: the build groups src/lib into the shared app chunk (vite.config.ts),
 * which would carry Chart.js to every page.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);

export interface TrendSeries {
	labels: string[];
	/** one per measure; null where the table shows « < 11 » or « masqué » */
	datasets: { label: string; values: (number | null)[] }[];
}

const COLORS = ['#1d5c3a', '#8a4b00', '#0b57d0'];

export function drawTrendChart(canvas: HTMLCanvasElement, { labels, datasets }: TrendSeries): Chart {
	return new Chart(canvas, {
		type: 'bar',
		data: {
			labels,
			datasets: datasets.map((d, i) => ({ label: d.label, data: d.values, backgroundColor: COLORS[i % COLORS.length] }))
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			locale: 'fr-FR',
			events: [],
			scales: { y: { beginAtZero: true } }
		}
	});
}
