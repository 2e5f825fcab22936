// Material downloads the search index (about 100 KB gzip, more than a page) as every page
// loads. Hold that one request until the reader opens search (click, tap, or the s, f and /
// keys, which focus the box), so a reader who never searches never pays for it. A link with
// ?q= or ?h= (a shared search, or a result highlighted on its page) needs the index at once.
(() => {
  const params = new URLSearchParams(location.search);
  if (location.protocol === "file:" || params.has("q") || params.has("h")) return;
  const INDEX = /\/search\/search_index\.json$/;
  const { open, send } = XMLHttpRequest.prototype;
  const held = [];
  let wanted = false;
  const release = () => {
    wanted = true;
    held.splice(0).forEach(([request, args]) => send.apply(request, args));
  };
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.searchIndex = INDEX.test(new URL(url, location.href).pathname);
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.searchIndex && !wanted) return void held.push([this, args]);
    return send.apply(this, args);
  };
  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches("input.md-search__input")) release();
  });
  document.addEventListener("change", (event) => {
    if (event.target.id === "__search" && event.target.checked) release();
  });
})();
