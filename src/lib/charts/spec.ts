/** What a chart shows (types only: importing this module never loads Chart.js). */
export interface ChartSpec {
	/** bars (a total per period) or lines (a level reached) */
	type: 'bar' | 'line';
	/** the x axis, as the table's rows or columns name it */
	labels: string[];
	/** one per series; null where the table shows no number (« — », « < 11 », « masqué ») */
	datasets: {
		label: string;
		values: (number | null)[];
		/** a reference line (ideal pace, target): dashed grey, no points */
		reference?: boolean;
		/** a line stops at a null instead of joining its neighbours (months not reached yet) */
		stopAtGaps?: boolean;
	}[];
	/** show the legend (default: when there is more than one series) */
	legend?: boolean;
}
