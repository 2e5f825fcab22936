// Material's search panel is a dialog without a name; screen readers announce it as "dialog".
// Name it so assistive technology (and axe-core) can say what it is.
document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
  dialog.setAttribute("aria-label", "搜索");
});

// A region that scrolls sideways (wide code, notebook cells) must be reachable by keyboard.
window.addEventListener("load", () => {
  document.querySelectorAll(".jp-Notebook pre, .jp-Notebook .highlight, .md-typeset pre > code, .md-typeset__scrollwrap").forEach((el) => {
    if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "0");
    }
  });
});
