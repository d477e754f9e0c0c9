// <Moment value="2026-12-06T14:05:00+00:00" fallback="06 Dec 2026, 14:05 UTC" />
// renders <time datetime=... title="6 Dec 2026, 15:05">3 minutes ago</time> in the
// browser's own time zone and language, and keeps the relative text fresh.
import { createElement, useEffect, useState } from "react";
import { absoluteTime, describeMoment } from "./time_format.js";

const REFRESH_MS = 30000;

export function Moment({ value, fallback, ...props }) {
  const [now, setNow] = useState(null);
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  if (!value) return null;
  const date = new Date(value);
  if (now === null || Number.isNaN(date.getTime())) {
    // Before the browser has rendered (and in the exported HTML): the server's text.
    return createElement("time", { dateTime: value, ...props }, fallback || value);
  }
  return createElement(
    "time",
    { dateTime: value, title: absoluteTime(date), ...props },
    describeMoment(date, now),
  );
}
