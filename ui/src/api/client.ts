// The API client: openapi-fetch typed by openapi/public.json (src/api/schema.gen.ts, made by
// `npm run types`), so a change of the contract breaks `tsc --noEmit` in the build. Calls
// ride on the session cookie; unsafe ones carry the session's CSRF token.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.gen";
import { useSession } from "../store";

export type Schemas = components["schemas"];
export type Issue = Schemas["Issue"];
export type IssueUpdate = Schemas["IssueUpdate"];
export type EventDetail = Schemas["EventDetail"];
export type Project = Schemas["Project"];
export type ProjectKey = Schemas["ProjectKey"];
export type Team = Schemas["Team"];
export type TagKey = Schemas["TagKey"];
export type Organization = Schemas["Organization"];

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  constructor(public status: number, public body: unknown) {
    super(typeof body === "object" && body && "detail" in body ? String((body as { detail: unknown }).detail) : `HTTP ${status}`);
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    const token = useSession.getState().csrfToken;
    if (UNSAFE.has(request.method) && token) request.headers.set("X-CSRFToken", token);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) window.location.assign(`/auth/login/?next=${encodeURIComponent(location.pathname)}`);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin", querySerializer: { array: { style: "form", explode: true } } });
api.use(csrf);

/** The data of an openapi-fetch answer, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined) throw new ApiError(result.response.status, result.error);
  return result.data;
}

/** Sentry's `Link` header: the cursors of the next and previous pages (when they have results). */
export function pageCursors(response: Response): { next?: string; previous?: string } {
  const out: { next?: string; previous?: string } = {};
  for (const part of (response.headers.get("Link") ?? "").split(",")) {
    const rel = /rel="(\w+)"/.exec(part)?.[1];
    const results = /results="(\w+)"/.exec(part)?.[1];
    const cursor = /cursor="([^"]*)"/.exec(part)?.[1];
    if ((rel === "next" || rel === "previous") && results === "true" && cursor) out[rel] = cursor;
  }
  return out;
}

type Query = Record<string, string | number | undefined | (string | number)[]>;

/** Endpoints outside the public document (Sentry does not publish them either): a plain
 * fetch with the same cookie, CSRF and error handling; their shapes are in ./internal.ts. */
export async function call<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== "") params.append(key, String(item));
  }
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const token = useSession.getState().csrfToken;
  if (UNSAFE.has(method) && token) headers["X-CSRFToken"] = token;
  const qs = params.toString();
  const response = await fetch(`${path}${qs ? `?${qs}` : ""}`, {
    method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data as T;
}
