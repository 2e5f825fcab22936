// Both editions load this file; the names it gives are in the page's language.
const english = document.documentElement.lang.startsWith("en");

// Material's search panel is a dialog without a name; screen readers announce it as "dialog".
// Name it so assistive technology (and axe-core) can say what it is.
document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
  dialog.setAttribute("aria-label", english ? "Search" : "搜索");
});

// A region that scrolls sideways (wide code, notebook cells, tables, math) must be reachable by
// keyboard; a wide table or formula is also marked so CSS can show that it scrolls.
// Widths are read when a ResizeObserver reports, just after the browser has laid the page out, so
// reading them costs no layout of its own. Read at load instead, each region inside a closed note
// made the browser lay that note out on its own (the Transformer page's main thread worked 1.82 s
// while loading then, 1.67 s now: Chromium, median of 5). The observer also reports a region that
// changes width: a note opened, a phone turned, a window resized. A region not drawn (in a closed
// note) has no width and is not read; it is reported again when its note opens.
const SCROLLING_REGIONS = ".jp-Notebook pre, .jp-Notebook .highlight, .md-typeset pre > code, .md-typeset__scrollwrap, .math-display";
const drawnRegions = new Set();

function markScrollable(regions) {
  const wide = regions.map((el) => el.scrollWidth > el.clientWidth + 1);
  regions.forEach((el, i) => {
    if (wide[i] && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    if (el.matches(".md-typeset__scrollwrap, .math-display")) el.classList.toggle("is-scrollable", wide[i]);
  });
}

const regionSizes = new ResizeObserver((entries) => {
  entries.forEach(({target, contentRect}) => {
    if (contentRect.width > 0) drawnRegions.add(target);
    else drawnRegions.delete(target);
  });
  markScrollable(entries.map(({target}) => target).filter((el) => drawnRegions.has(el)));
});
// A formula's box keeps its width when KaTeX's fonts arrive, but the formula inside may grow past it.
document.fonts.addEventListener("loadingdone", () => requestAnimationFrame(() => markScrollable([...drawnRegions])));

window.addEventListener("load", () => {
  // Material wraps its tables (.md-typeset__scrollwrap) by the time the page has loaded.
  document.querySelectorAll(SCROLLING_REGIONS).forEach((el) => regionSizes.observe(el));
  // Each code block's copy button sits in a <nav> of its own: landmarks must have distinct names.
  document.querySelectorAll("nav.md-code__nav").forEach((nav, i) => {
    nav.setAttribute("aria-label", english ? `Code block ${i + 1}: actions` : `第 ${i + 1} 个代码块的操作`);
  });
  // A table's empty top-left header cell (a column of row names) heads nothing: make it a plain cell.
  document.querySelectorAll(".md-typeset thead tr > th:first-child").forEach((th) => {
    if (!th.textContent.trim()) {
      const td = document.createElement("td");
      th.replaceWith(td);
    }
  });
});
