// Small formatting helpers shared by the pages.
export function ago(iso: string | null | undefined): string {
  if (!iso) return "—";
  const seconds = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return `${Math.floor(seconds)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

export function count(value: string | number | null | undefined): string {
  const n = Number(value ?? 0);
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

/** Focus the next/previous row of a list (arrow keys, j/k). */
export function moveFocus(event: React.KeyboardEvent<HTMLElement>, selector: string): boolean {
  const down = event.key === "ArrowDown" || event.key === "j";
  const up = event.key === "ArrowUp" || event.key === "k";
  if (!down && !up) return false;
  const rows = Array.from(event.currentTarget.closest("[data-list]")?.querySelectorAll<HTMLElement>(selector) ?? []);
  const index = rows.indexOf(event.currentTarget);
  const next = rows[index + (down ? 1 : -1)];
  if (next) {
    event.preventDefault();
    next.focus();
  }
  return true;
}
