"""What `mkdocs serve` keeps between rebuilds, or skips, so an edit shows in about a second.

MkDocs 1.6 imports a hook file once per process and keeps plugins that define on_startup, but it
makes a new Jinja environment and a new search index on every rebuild. Under `mkdocs serve`
only (on_startup is told the command), this hook:

- gives each rebuild's Jinja environment one bytecode cache, so Material's templates are
  compiled once per process, not once per rebuild (Jinja checks each template's source, so an
  edit to overrides/ is still picked up);
- keeps the search index entries of each page, keyed by a hash of what Material's search reads
  (the page's HTML, URL, table of contents and metadata), so an unchanged page is not parsed
  and segmented again; and memoises jieba.cut, with which the search segments every run of
  Chinese text of a changed page (a pure function of its arguments). The index is the same;
- keeps what the search makes of an unchanged page's HTML (it strips `data-search-*` attributes
  with a regular expression over the whole page), and the two strings it looks up in the
  theme's language templates on every rebuild, compiling them each time (kept per language and
  per state of the theme's editable files);
- turns off git-revision-date-localized, whose per-file git calls a preview does not need: pages
  served locally show no "last updated" date. Every `mkdocs build` (tests, CI, Pages) keeps it;
- looks at the watched files every 0.1 s instead of every 0.5 s. MkDocs 1.6 polls them (watchdog's
  PollingObserver, which works on every file system), so a saved edit waited a quarter of a second
  on average, and up to half a second, before the rebuild even started. A look at the watched
  folders (about 180 files and folders) takes about 1.5 ms;
- lists the theme's static files once, not on every rebuild: MkDocs walks every file of the
  theme folders and pattern-matches each name, about 14,500 with Material (14,348 of them
  icons). The list is kept per set of theme folders and the files in the ones outside
  site-packages (overrides/), so a file added there is still picked up.

`mkdocs build` is untouched: nothing here runs unless the command is serve.
"""
import hashlib
import json
import os
import sysconfig

import jinja2
from mkdocs.structure.files import File, Files

GIT_DATES = "git-revision-date-localized"
SEARCH = "material/search"

_serving = False
_segments = {}
_entries = {}   # hash of what the search reads from a page -> the index entries it made
_theme_files = {}   # theme folders and their editable files -> [(src_uri, theme folder)]
_stripped = {}   # page.file.src_uri -> (hash of its HTML, the HTML as the search leaves it)
_translations = {}   # (placeholder, language, editable theme files and their times) -> translation
WATCH_POLL = 0.1   # seconds between looks at the watched files (MkDocs: 0.5)
INSTALLED = tuple(os.path.realpath(sysconfig.get_paths()[name]) for name in ("purelib", "platlib"))


class _Bytecode(jinja2.BytecodeCache):
    """Compiled templates in memory, for the life of the process."""

    def __init__(self):
        self.store = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_bytecode = _Bytecode()


def _memoise_jieba():
    import jieba

    if getattr(jieba.cut, "memoised", False):
        return
    cut = jieba.cut

    def memoised_cut(sentence, *args, **kwargs):
        key = (sentence, args, tuple(sorted(kwargs.items())))
        if key not in _segments:
            _segments[key] = tuple(cut(sentence, *args, **kwargs))
        return iter(_segments[key])

    memoised_cut.memoised = True
    jieba.cut = memoised_cut


def _memoise_search_entries(index):
    add = index.add_entry_from_context

    def add_entry_from_context(page):
        read = [page.content, page.url, str(page.toc), json.dumps(page.meta, sort_keys=True, default=str)]
        key = hashlib.sha256("\0".join(read).encode("utf-8")).hexdigest()
        if key not in _entries:
            before = len(index.entries)
            add(page)
            _entries[key] = index.entries[before:]
        else:
            index.entries.extend(_entries[key])

    index.add_entry_from_context = add_entry_from_context


def _memoise_search_page_context(plugins):
    """Replace the search's page_context handler by one that strips an unchanged page from memory."""
    search = plugins[SEARCH]
    if not search.config.enabled:
        return
    handlers = plugins.events["page_context"]
    for i, handler in enumerate(handlers):
        if getattr(handler, "__self__", None) is search and not getattr(handler, "memoised", False):
            handlers[i] = _memoised_page_context(handler, search)
            plugins._event_origins[handlers[i]] = plugins._event_origins.get(handler, SEARCH)


def _memoised_page_context(handler, search):
    def on_page_context(context, *, page, config, nav):
        key = hashlib.sha256(page.content.encode("utf-8")).hexdigest()
        known = _stripped.get(page.file.src_uri)
        if known and known[0] == key:
            search.search_index.add_entry_from_context(page)   # what handler does before stripping
            page.content = known[1]
            return None
        result = handler(context, page=page, config=config, nav=nav)
        _stripped[page.file.src_uri] = (key, page.content)
        return result

    on_page_context.memoised = True
    return on_page_context


def _memoise_translations():
    from material.plugins.search.plugin import SearchPlugin

    if getattr(SearchPlugin._translate, "memoised", False):
        return
    translate = SearchPlugin._translate

    def _translate(self, config, value):
        key = (value, config.theme["language"],
               tuple((folder, tuple((path, os.stat(path).st_mtime_ns) for path in _editable_files(folder)))
                     for folder in config.theme.dirs))
        if key not in _translations:
            _translations[key] = translate(self, config, value)
        return _translations[key]

    _translate.memoised = True
    SearchPlugin._translate = _translate


def _editable_files(folder):
    """The files under a theme folder that may change while serving (not an installed theme)."""
    if os.path.realpath(folder).startswith(INSTALLED):
        return ()
    return tuple(sorted(os.path.join(top, name) for top, _, names in os.walk(folder) for name in names))


def _memoise_theme_files():
    if getattr(Files.add_files_from_theme, "memoised", False):
        return
    add = Files.add_files_from_theme

    def add_files_from_theme(self, env, config):
        key = tuple((folder, _editable_files(folder)) for folder in config.theme.dirs)
        if key not in _theme_files:
            everything = Files([])
            add(everything, env, config)
            _theme_files[key] = [(file.src_uri, file.src_dir) for file in everything]
        for src_uri, folder in _theme_files[key]:
            if self.get_file_from_path(src_uri) is None:  # a page's own file wins over the theme's
                self.append(File(src_uri, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme.memoised = True
    Files.add_files_from_theme = add_files_from_theme


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"
    if _serving:
        _memoise_jieba()
        _memoise_theme_files()
        _memoise_translations()


def on_config(config):
    if _serving and GIT_DATES in config.plugins:
        config.plugins[GIT_DATES].config["enabled"] = False
    if _serving and SEARCH in config.plugins:
        _memoise_search_entries(config.plugins[SEARCH].search_index)
        _memoise_search_page_context(config.plugins)
    return config


def on_serve(server, config, builder):
    # The observer makes each later watch's emitter with its timeout, the polling interval; the
    # docs folder and mkdocs.yml are watched already (watchdog 7: EventEmitter._timeout).
    server.observer._timeout = WATCH_POLL
    for emitter in server.observer.emitters:
        emitter._timeout = WATCH_POLL
    return server


def on_env(env, config, files):
    if _serving:
        env.bytecode_cache = _bytecode
    return env
