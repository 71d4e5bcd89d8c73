// Shapes of the endpoints the UI uses that are not in the public document.

/** `events-stats`: `[[unix seconds, [{count}]], ...]`. */
export interface EventsStats {
  data: [number, { count: number }[]][];
  start: number;
  end: number;
}

export interface Activity {
  id: string;
  type: string;
  data: Record<string, unknown>;
  dateCreated: string;
  user: { id: string; name: string; email?: string } | null;
}

export interface StatsV2 {
  intervals: string[];
  groups: { by: Record<string, string>; totals: Record<string, number>; series: Record<string, number[]> }[];
}
