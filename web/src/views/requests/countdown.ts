// Deadlines as live countdowns ("in 3 h 12 min", "overdue by 2 h").
//
// The due instant is counted from the server's seconds_left at the moment
// its answer arrived, not from the due time against this machine's clock: a
// wall screen whose clock drifts must still show the node's deadline.

import { h } from "../../dom";
import type { Deadline } from "../../types-requests";

/** Below this, a running clock is flagged as due soon. */
const DUE_SOON_SECONDS = 3600;

/** "3 d 4 h", "3 h 12 min", "12 min", "4 min 30 s", "45 s". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.abs(Math.trunc(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  if (days >= 2) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (s >= 3600) {
    const allHours = days * 24 + hours;
    return minutes ? `${allHours} h ${minutes} min` : `${allHours} h`;
  }
  // Seconds only matter when little time is left.
  if (minutes >= 10) return `${minutes} min`;
  if (minutes >= 1) return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  return `${seconds} s`;
}

export function countdownText(secondsLeft: number): string {
  if (secondsLeft < 0) return `overdue by ${formatDuration(secondsLeft)}`;
  if (secondsLeft === 0) return "due now";
  return `in ${formatDuration(secondsLeft)}`;
}

interface Running {
  el: HTMLElement;
  dueAt: number;
}

/**
 * Keeps every countdown of a screen ticking once a second until the
 * screen's signal aborts. Countdowns whose element left the page (a list
 * page turned, a request re-rendered) are dropped on the next tick.
 */
export class CountdownTicker {
  private running: Running[] = [];
  private timer: number | null = null;
  private listeners: Array<(now: number) => void> = [];

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener("abort", () => this.stop(), { once: true });
  }

  /**
   * A <time> showing the deadline's countdown; `receivedAt` is when its
   * answer arrived. `now` is the instant it is first painted at: a screen
   * that draws other things from the same clock (a tab's overdue count)
   * passes the instant it used, so the two never disagree.
   */
  countdown(deadline: Deadline, receivedAt: number, now: number = Date.now()): HTMLElement {
    const el = h("time", { class: "rq-countdown", datetime: deadline.due, title: `Due ${deadline.due}` });
    const entry = { el, dueAt: receivedAt + deadline.seconds_left * 1000 };
    this.paint(entry, now);
    if (!this.signal.aborted) {
      this.running.push(entry);
      if (this.timer === null) this.timer = window.setInterval(() => this.tick(), 1000);
    }
    return el;
  }

  /**
   * Calls `listener` after every tick, in the same task as the repaint, so
   * whatever it draws from the same clock (a tab's overdue count) never
   * disagrees with the countdowns on screen.
   */
  onTick(listener: (now: number) => void): void {
    this.listeners.push(listener);
  }

  private tick(): void {
    const now = Date.now();
    this.running = this.running.filter((r) => r.el.isConnected);
    for (const r of this.running) this.paint(r, now);
    for (const listener of this.listeners) listener(now);
  }

  private paint(r: Running, now: number): void {
    const left = Math.floor((r.dueAt - now) / 1000);
    const text = countdownText(left);
    if (r.el.textContent !== text) r.el.textContent = text;
    r.el.classList.toggle("rq-overdue", left < 0);
    r.el.classList.toggle("rq-due-soon", left >= 0 && left < DUE_SOON_SECONDS);
    r.el.dataset.overdue = String(left < 0);
  }

  private stop(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    this.running = [];
    this.listeners = [];
  }
}

/** Whether a deadline received at `receivedAt` has passed at `now`, by the same count as the countdown. */
export function isOverdue(deadline: Deadline, receivedAt: number, now: number): boolean {
  return receivedAt + deadline.seconds_left * 1000 < now;
}
