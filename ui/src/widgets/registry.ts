// The dashboard's widget registry: the built-in widgets (React components over the API on
// main and Discover's) and the ones plugins ship (ES modules listed by /ui/bootstrap.json).
import type { ComponentType } from "react";
import { EventsByLevel, EventsByProject, EventsByRelease, EventsOverTime, TopIssues } from "./builtin";

export interface WidgetProps { org: string; period: string }

export interface WidgetDefinition {
  id: string;
  title: string;
  /** A built-in widget's component; plugin widgets have a module URL instead. */
  component?: ComponentType<WidgetProps>;
  module?: string;
}

export const BUILTIN: WidgetDefinition[] = [
  { id: "events-over-time", title: "Events over time", component: EventsOverTime },
  { id: "top-issues", title: "Top issues", component: TopIssues },
  { id: "events-by-level", title: "Events by level", component: EventsByLevel },
  { id: "events-by-project", title: "Events by project", component: EventsByProject },
  { id: "events-by-release", title: "Events by release", component: EventsByRelease },
];

export function allWidgets(plugins: { id: string; title: string; url: string }[]): WidgetDefinition[] {
  return [...BUILTIN, ...plugins.map((w) => ({ id: w.id, title: w.title, module: w.url }))];
}
