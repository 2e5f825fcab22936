// The language switch links to this page in the other edition; keep the reader's section too.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-edition]");
  if (link && window.location.hash && !new URL(link.href).hash) {
    link.href = new URL(window.location.hash, link.href).href;
  }
});
