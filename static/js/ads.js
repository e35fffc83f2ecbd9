/* Fills ad slots (see ads/templatetags/ads.py) from the page's one uncached
   request (static/js/page.js, /seitendaten/: every slot at once), so rotation and
   counting work in pages that a shared cache serves identically to every reader.
   Where that is missing or failed, each slot asks its own endpoint when it comes
   near the viewport, as before. The label "ANZEIGE" stays in the page; only the
   box under it is filled.

   Viewability (IAB/MRC display rule): an impression counts as viewed once at
   least half of the creative has been on screen for one continuous second
   while the page is visible. Its view token goes into a queue that is sent as
   one beacon (navigator.sendBeacon, text/plain, one token per line) shortly
   after, and when the page is hidden or left. Nothing is stored on the device. */
(function () {
  "use strict";

  var VIEW_RATIO = 0.5;
  var VIEW_MS = 1000;
  var BATCH_MS = 2000;
  var queue = [];
  var beaconUrl = null;
  var batchTimer = null;
  var watched = [];

  function send() {
    if (batchTimer) {
      clearTimeout(batchTimer);
      batchTimer = null;
    }
    if (!queue.length || !beaconUrl) {
      return;
    }
    var body = queue.join("\n");
    queue = [];
    if (navigator.sendBeacon) {
      navigator.sendBeacon(beaconUrl, new Blob([body], { type: "text/plain" }));
    } else {
      fetch(beaconUrl, { method: "POST", body: body, credentials: "omit", keepalive: true });
    }
  }

  function viewed(token) {
    queue.push(token);
    if (!batchTimer) {
      batchTimer = setTimeout(send, BATCH_MS);
    }
  }

  function watch(element, token) {
    if (!("IntersectionObserver" in window)) {
      return; /* not measurable: counted as served, not as viewed */
    }
    var state = { timer: null, visible: false, done: false };
    function arm() {
      if (state.done || state.timer || !state.visible || document.visibilityState !== "visible") {
        return;
      }
      state.timer = setTimeout(function () {
        state.done = true;
        observer.disconnect();
        viewed(token);
      }, VIEW_MS);
    }
    function disarm() {
      if (state.timer) {
        clearTimeout(state.timer);
        state.timer = null;
      }
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          state.visible = entry.isIntersecting && entry.intersectionRatio >= VIEW_RATIO;
          if (state.visible) {
            arm();
          } else {
            disarm();
          }
        });
      },
      { threshold: [0, VIEW_RATIO, 1] }
    );
    observer.observe(element);
    watched.push({ arm: arm, disarm: disarm });
  }

  /* The fill failed. In the text flow the reserved space stays (no jump under the
     reader's eyes); beside the article a tall empty box helps nobody, so it goes. */
  function giveUp(slot) {
    if (slot.classList.contains("ad-slot--sidebar")) {
      slot.hidden = true;
    }
  }

  /* Puts one slot's answer (see ads/views.py slot_answer) under its label. */
  function show(slot, data) {
    var box = slot.querySelector(".ad-slot__box");
    if (!data) {
      giveUp(slot);
      return;
    }
    if (!data.html) {
      slot.hidden = true; /* nothing for this reader: no empty labelled box */
      return;
    }
    box.innerHTML = data.html;
    slot.classList.add("ad-slot--filled");
    if (data.view) {
      beaconUrl = slot.getAttribute("data-ad-viewed");
      watch(box.firstElementChild || box, data.view);
    }
  }

  /* One slot on its own (pages without page.js, or when its request failed). */
  function fill(slot) {
    if (slot.getAttribute("data-ad-loaded")) {
      return;
    }
    slot.setAttribute("data-ad-loaded", "1");
    fetch(slot.getAttribute("data-ad-src"), {
      credentials: "omit",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        show(slot, data);
      })
      .catch(function () {
        giveUp(slot);
      });
  }

  function fillNearViewport(slots) {
    if (!("IntersectionObserver" in window)) {
      slots.forEach(fill);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            fill(entry.target);
          }
        });
      },
      { rootMargin: "200px 0px" }
    );
    slots.forEach(function (slot) {
      observer.observe(slot);
    });
  }

  function start() {
    var slots = Array.prototype.slice.call(document.querySelectorAll("[data-ad-slot]"));
    if (!slots.length) {
      return;
    }
    if (!window.newsroomPageData) {
      fillNearViewport(slots);
      return;
    }
    /* page.js asked for every slot of the page in its one request. */
    window.newsroomPageData.then(function (data) {
      var missing = [];
      slots.forEach(function (slot) {
        var index = data && data.slots ? data.slotElements.indexOf(slot) : -1;
        if (index === -1 || !data.slots[index]) {
          missing.push(slot);
          return;
        }
        slot.setAttribute("data-ad-loaded", "1");
        show(slot, data.slots[index]);
      });
      if (missing.length) {
        fillNearViewport(missing);
      }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      watched.forEach(function (w) {
        w.arm();
      });
    } else {
      watched.forEach(function (w) {
        w.disarm();
      });
      send();
    }
  });
  window.addEventListener("pagehide", send);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
