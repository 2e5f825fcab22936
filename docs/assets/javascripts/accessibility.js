// Material's search panel is a dialog without a name; screen readers announce it as "dialog".
// Name it so assistive technology (and axe-core) can say what it is.
document.querySelectorAll(".md-search[role='dialog']").forEach((dialog) => {
  dialog.setAttribute("aria-label", "搜索");
});
