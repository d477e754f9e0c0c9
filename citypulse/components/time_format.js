// How CityPulse shows a moment: in the viewer's own time zone and language (issue 15
// item 8). Pure functions, so tests can run them under Node with a fixed clock.

const RELATIVE_UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];
const RELATIVE_LIMIT_SECONDS = 7 * 86400; // older moments read better as a date

/** The full date and time, e.g. "6 Dec 2026, 14:05" (the hover text). */
export function absoluteTime(date, locale, timeZone) {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone,
  }).format(date);
}

/** "just now", "3 minutes ago", "in 2 hours", "yesterday"; a date beyond a week. */
export function describeMoment(date, now, locale, timeZone) {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const distance = Math.abs(seconds);
  if (distance >= RELATIVE_LIMIT_SECONDS) {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(date);
  }
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  if (distance < 45) {
    return seconds <= 0 ? justNow(locale) : relative.format(Math.max(seconds, 1), "second");
  }
  for (const [unit, size] of RELATIVE_UNITS) {
    if (distance >= size || unit === "minute") {
      return relative.format(Math.round(seconds / size) || Math.sign(seconds), unit);
    }
  }
  return "";
}

function justNow(locale) {
  // Intl says "now" ("maintenant", "jetzt"); English readers expect "just now".
  const said = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(0, "second");
  return said === "now" ? "just now" : said;
}
