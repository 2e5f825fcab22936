// A link to a correction note (#correction-…, from the page's list of notes or from the 勘误表)
// opens the note it points at; a closed <details> would otherwise hide what the reader asked for.
function openTargetNote() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTargetNote);
openTargetNote();

// Citation popovers (hooks/citations.py) are the browser's own: the citation button opens one, Esc
// or a click elsewhere closes it, keyboard and screen readers included. This only moves an open
// popover next to the citation that opened it, kept inside the viewport so it never widens a phone.
let citationOpener = null;
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("button[popovertarget]");
  if (button) citationOpener = button;
}, true);
document.querySelectorAll(".citation-popover").forEach((popover) => {
  popover.addEventListener("toggle", (event) => {
    if (event.newState !== "open" || !citationOpener) return;
    const anchor = citationOpener.getBoundingClientRect();
    const margin = 8;
    popover.classList.add("placed");
    const width = popover.offsetWidth;
    const height = popover.offsetHeight;
    const left = Math.max(margin, Math.min(anchor.left, window.innerWidth - width - margin));
    let top = anchor.bottom + 4;  // below the citation, else above it, else as low as fits on screen
    if (top + height > window.innerHeight - margin) {
      top = anchor.top - 4 - height > margin ? anchor.top - 4 - height : Math.max(margin, window.innerHeight - margin - height);
    }
    popover.style.left = `${left + window.scrollX}px`;
    popover.style.top = `${top + window.scrollY}px`;
  });
});
