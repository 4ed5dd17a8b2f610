/**
 * Kubernetes' HumanDuration: the AGE text kubectl shows, with two to three significant figures.
 *
 * Thresholds, kubectl's: under 2 minutes "Ns"; under 10 minutes "NmSs" (or "Nm" on the minute); under 3 hours
 * "Nm"; under 8 hours "NhMm" (or "Nh"); under 48 hours "Nh"; under 8 days "NdHh" (or "Nd"); under 2 years "Nd";
 * under 8 years "NyDd" (or "Ny"); after that "Ny". A year is 365 days. Clocks may disagree slightly, so anything down
 * to one second in the future reads "0s"; further in the future is "<invalid>".
 *
 * @param durationMs the elapsed time in milliseconds (negative when the moment is in the future)
 * @returns the short text, for example "5m30s", "3h", "12d" or "2y45d"
 * @example Age of an object created 90 seconds ago
 * ```ts
 * humanDuration(90_000); // "90s"
 * ```
 */
export function humanDuration(durationMs: number): string {
  // Go converts the float seconds with int(), which truncates toward zero.
  const seconds = Math.trunc(durationMs / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(durationMs / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(durationMs / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}
