// A link to a correction note (#correction-…, from the page's list of notes or from the 勘误表)
// opens the note it points at; a closed <details> would otherwise hide what the reader asked for.
function openTargetNote() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
}
window.addEventListener("hashchange", openTargetNote);
openTargetNote();
