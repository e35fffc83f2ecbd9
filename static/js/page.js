/* The one request of a page view (newsroom/page_data.py).

   The page HTML is cached and the same for every reader. What is per reader —
   each ad slot's creative, the comment form's CSRF token, timestamp and
   remembered name — comes from one never-cached request to /seitendaten/,
   made right here, only when the page has ad slots or a comment form, and
   before ads.js and comments.js run (all three are deferred; this one comes
   first in the document). They take their part from window.newsroomPageData:
   a promise of {slots: [...], session: {...}} or of null when it failed (each
   then asks its own endpoint, as before). Without this script (pages cached
   before it existed) they ask their own endpoints too.

   All slots are filled at once, also those further down the page: one request
   instead of one per slot as it comes near. The impression is counted as
   served then; viewability is still measured per slot on screen (ads.js).
   The comment session comes with it at load, not on focus of the form: the
   request is made for the slots anyway, and signed-in or remembered readers
   see their form ready before they start typing. */
(function () {
  "use strict";

  /* The current section in sight: on a phone the section navigation scrolls sideways
     and starts at the left, where the marked section may be off the screen. */
  var current = document.querySelector(".section-nav [aria-current='page']");
  var strip = current && current.closest("ul");
  if (strip) {
    var link = current.getBoundingClientRect();
    var box = strip.getBoundingClientRect();
    if (link.right > box.right || link.left < box.left) {
      strip.scrollLeft += link.left - box.left - (box.width - link.width) / 2;
    }
  }

  var me = document.currentScript;
  var url = me && me.getAttribute("data-url");
  if (!url || !window.fetch || !window.Promise) {
    return;
  }
  var params = [];
  var slots = Array.prototype.slice.call(document.querySelectorAll("[data-ad-slot]"));
  slots.forEach(function (slot) {
    var src = slot.getAttribute("data-ad-src") || "";
    var query = src.indexOf("?") === -1 ? "" : src.slice(src.indexOf("?"));
    params.push("slot=" + encodeURIComponent(slot.getAttribute("data-ad-slot") + query));
  });
  if (document.querySelector("[data-comments] form[data-comments-form]")) {
    params.push("session=1");
  }
  if (!params.length) {
    return; /* nothing per reader on this page: no request at all */
  }
  window.newsroomPageData = fetch(url + "?" + params.join("&"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    cache: "no-store"
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (data) {
      if (data && data.slots) {
        /* The answer of slot element e: data.slots[data.slotElements.indexOf(e)]. */
        data.slotElements = slots;
      }
      return data;
    })
    .catch(function () {
      return null;
    });
})();
