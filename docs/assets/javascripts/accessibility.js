// Material's search panel is a dialog without a name; screen readers announce it as "dialog".
// Name it so assistive technology (and axe-core) can say what it is.
document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
  dialog.setAttribute("aria-label", "搜索");
});

// A region that scrolls sideways (wide code, notebook cells, tables, math) must be reachable by
// keyboard; a wide table or formula is also marked so CSS can show that it scrolls.
// Every width is read before anything is marked: a read after a change would make the browser lay
// out the whole page again, once per region (on the Transformer page, dozens of times).
function markScrollable() {
  const regions = [...document.querySelectorAll(".jp-Notebook pre, .jp-Notebook .highlight, .md-typeset pre > code, .md-typeset__scrollwrap, .math-display")];
  const wide = regions.map((el) => el.scrollWidth > el.clientWidth + 1);
  regions.forEach((el, i) => {
    if (wide[i] && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    if (el.matches(".md-typeset__scrollwrap, .math-display")) el.classList.toggle("is-scrollable", wide[i]);
  });
}
// Opening every note at once fires a toggle event per note: mark once, at the next frame.
let markPending = false;
function markSoon() {
  if (markPending) return;
  markPending = true;
  requestAnimationFrame(() => {
    markPending = false;
    markScrollable();
  });
}
window.addEventListener("resize", markSoon);
document.addEventListener("toggle", markSoon, true);  // a note opened: its formulas now have a width

window.addEventListener("load", () => {
  markScrollable();
  // Each code block's copy button sits in a <nav> of its own: landmarks must have distinct names.
  document.querySelectorAll("nav.md-code__nav").forEach((nav, i) => {
    nav.setAttribute("aria-label", `第 ${i + 1} 个代码块的操作`);
  });
  // A table's empty top-left header cell (a column of row names) heads nothing: make it a plain cell.
  document.querySelectorAll(".md-typeset thead tr > th:first-child").forEach((th) => {
    if (!th.textContent.trim()) {
      const td = document.createElement("td");
      th.replaceWith(td);
    }
  });
});
