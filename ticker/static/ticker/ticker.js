/* Live ticker: asks the update endpoint for new, corrected and removed entries.
 *
 * One small JSON answer, cached for every reader; sent with If-None-Match, so an
 * unchanged ticker costs a 304. Polls every data-poll seconds, every data-poll-hidden
 * seconds while the tab is hidden, and not at all once the ticker has ended. A
 * reader who has scrolled away from the newest entries gets "N neue Einträge"
 * instead of a jumping page. Without JavaScript a reload shows everything.
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-ticker]");
  if (!root || !window.fetch || !window.JSON) return;
  var url = root.getAttribute("data-updates");
  var poll = Math.max(2, parseInt(root.getAttribute("data-poll"), 10) || 15) * 1000;
  var pollHidden = Math.max(poll, (parseInt(root.getAttribute("data-poll-hidden"), 10) || 120) * 1000);
  var list = root.querySelector("[data-ticker-entries]");
  var summary = root.querySelector("[data-ticker-summary]");
  var state = root.querySelector("[data-ticker-state]");
  var notice = root.querySelector("[data-ticker-notice]");
  var noticeButton = notice.querySelector("button");
  var running = root.getAttribute("data-running") === "1";
  var etag = null;
  var timer = null;
  var unseen = 0;

  function entries() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-entry]"));
  }

  function byId(id) {
    return list.querySelector('[data-entry="' + id + '"]');
  }

  function scrolledAway() {
    return list.getBoundingClientRect().top < 0;
  }

  function insertSorted(element) {
    var key = element.getAttribute("data-sort");
    var current = entries();
    for (var i = 0; i < current.length; i++) {
      if (current[i].getAttribute("data-sort") < key) {
        list.insertBefore(element, current[i]);
        return;
      }
    }
    var last = current[current.length - 1];
    if (last) last.parentNode.insertBefore(element, last.nextSibling);
    else list.appendChild(element);
  }

  function fromHtml(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function showNotice() {
    if (!unseen) {
      notice.hidden = true;
      return;
    }
    var label = unseen === 1 ? root.getAttribute("data-label-one") : root.getAttribute("data-label-many");
    noticeButton.textContent = unseen + " " + label;
    notice.hidden = false;
  }

  function apply(data) {
    var versions = {};
    data.entries.forEach(function (pair) {
      versions[pair[0]] = pair[1];
    });
    entries().forEach(function (element) {
      if (!(element.getAttribute("data-entry") in versions)) element.remove();
    });
    var away = scrolledAway();
    var added = 0;
    Object.keys(data.html).forEach(function (id) {
      var existing = byId(id);
      if (existing && existing.getAttribute("data-version") === versions[id]) return;
      var element = fromHtml(data.html[id]);
      if (!element) return;
      if (existing) {
        existing.remove();
      } else {
        added += 1;
        element.classList.add("ticker-entry--new");
      }
      insertSorted(element);
    });
    var empty = list.querySelector("[data-ticker-empty]");
    if (empty && entries().length) empty.remove();
    summary.innerHTML = data.summary;
    state.innerHTML = data.state;
    running = data.running;
    if (added && away) {
      unseen += added;
      showNotice();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (running) timer = setTimeout(check, document.hidden ? pollHidden : poll);
  }

  function check() {
    var headers = { Accept: "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) return null;
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) apply(data);
      })
      .catch(function () {
        /* offline or a deploy: try again at the next tick */
      })
      .then(schedule);
  }

  noticeButton.addEventListener("click", function () {
    unseen = 0;
    showNotice();
    root.scrollIntoView({ behavior: "smooth", block: "start" });
  });
  window.addEventListener(
    "scroll",
    function () {
      if (unseen && !scrolledAway()) {
        unseen = 0;
        showNotice();
      }
    },
    { passive: true }
  );
  document.addEventListener("visibilitychange", function () {
    // Back in view: ask at once; hidden: the next tick comes later.
    if (!document.hidden) check();
    else schedule();
  });
  schedule();
})();
