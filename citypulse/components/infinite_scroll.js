// <ScrollSentinel onVisible={...} /> calls onVisible each time it scrolls into view
// (200 px early), so a list loads its next page as the reader nears its end. The page
// keeps a "Load more" button beside it for keyboards and for browsers without
// IntersectionObserver.
import { createElement, useEffect, useRef } from "react";

export function ScrollSentinel({ onVisible, ...props }) {
  const element = useRef(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const target = element.current;
    if (!target || typeof IntersectionObserver === "undefined") return undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callback.current?.();
      },
      { rootMargin: "200px 0px" },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, []);
  return createElement("div", { ref: element, "aria-hidden": "true", ...props });
}
