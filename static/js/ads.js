/* Fills ad slots (see ads/templatetags/ads.py): each slot asks its own small,
   uncached request when it comes near the viewport, so rotation and counting
   work in pages that a shared cache serves identically to every reader. The
   label "ANZEIGE" stays in the page; only the box under it is filled. */
(function () {
  "use strict";

  function fill(slot) {
    if (slot.getAttribute("data-ad-loaded")) {
      return;
    }
    slot.setAttribute("data-ad-loaded", "1");
    var box = slot.querySelector(".ad-slot__box");
    fetch(slot.getAttribute("data-ad-src"), {
      credentials: "omit",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        if (!data.html) {
          slot.hidden = true;
          return;
        }
        box.innerHTML = data.html;
        slot.classList.add("ad-slot--filled");
      })
      .catch(function () {
        /* The reserved space stays; the page never breaks because of an ad. */
      });
  }

  function start() {
    var slots = document.querySelectorAll("[data-ad-slot]");
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

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
