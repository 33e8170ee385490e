/**
 * The chart of an indicator's history, drawn only in the browser. This module is imported
 * dynamically (its own chunk), and registers only what a bar or line chart needs from Chart.js,
 * so pages without a chart never load it and this one loads as little as possible.
 */
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	LinearScale,
	LineController,
	LineElement,
	PointElement
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement);

export interface HistorySeries {
	labels: string[];
	values: (number | null)[];
	/** flow: bars (a total per month); stock: a line (the value reached). */
	kind: 'flow' | 'stock';
}

export function drawHistoryChart(canvas: HTMLCanvasElement, { labels, values, kind }: HistorySeries): Chart {
	const color = '#1d5c3a';
	return new Chart(canvas, {
		type: kind === 'flow' ? 'bar' : 'line',
		data: {
			labels,
			datasets: [{ data: values, backgroundColor: color, borderColor: color, spanGaps: true, pointRadius: 3 }]
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
